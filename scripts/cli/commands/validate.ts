import { planGraphFile } from '../graph-file';
import { parseCommand } from '../parse-command';

export async function validateCommand(args: string[]): Promise<number> {
  const {
    positionals: [file],
  } = parseCommand(args, {}, ['graph.json']);
  const { plan } = await planGraphFile(file);
  console.log(`valid: ${plan.nodes.length} nodes, ${plan.edges.length} edges`);
  return 0;
}
