export const USAGE = `Usage: npm run kai -- <command> [options]

Commands:
  run <graph.json> [--input '<json>']    validate the graph, start a run and follow it to its result
  validate <graph.json>                  check a graph without running it
  approve <runId> <nodeId> [--data '<json>'] [--comment <text>] [--by <name>]
                                         approve an Approval node that is waiting
  reject <runId> <nodeId> [--data '<json>'] [--comment <text>] [--by <name>]
                                         reject an Approval node that is waiting
  status <runId>                         show a run's node states and its result

Options:
  -h, --help                             show this help

Environment:
  TEMPORAL_ADDRESS      host:port of the Temporal frontend; unset, the local dev server \`npm start\` runs
                        (127.0.0.1:TEMPORAL_DEV_PORT, default 7233)
  TEMPORAL_NAMESPACE    default "default"
  TEMPORAL_TASK_QUEUE   task queue the workers poll, default "kai-fusion"

Exit codes: 0 success, 1 the run failed or Temporal refused or was unreachable, 2 bad usage or an invalid graph.`;
