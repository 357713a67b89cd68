import { settleEndedRun, type ForEachProgress, type NodeError, type NodeIo, type NodeState, type RunEvent, type RunEventType, type RunState } from '../engine/run-state';

/**
 * What the interpreter knows about its run, kept as per-node state plus a numbered event list; queries read it.
 * Runs inside the workflow, so `Date.now()` is the deterministic workflow clock.
 */
export class RunJournal {
  status: RunState['status'] = 'running';
  readonly nodes: Record<string, NodeState>;
  readonly io: Record<string, NodeIo> = {};
  private readonly events: RunEvent[] = [];

  constructor(nodeIds: string[]) {
    this.nodes = Object.fromEntries(nodeIds.map((id) => [id, { status: 'pending', attempts: 0 }]));
  }

  state(): RunState {
    return { status: this.status, nodes: this.nodes };
  }

  eventsAfter(seq: number): RunEvent[] {
    return this.events.filter((event) => event.seq > seq);
  }

  started(nodeId: string): void {
    Object.assign(this.nodes[nodeId], { status: 'running', startedAt: Date.now() });
    this.emit('node.started', nodeId);
  }

  /** `message` is what an Approval asks the person deciding. */
  waiting(nodeId: string, message?: string): void {
    Object.assign(this.nodes[nodeId], { status: 'waiting', ...(message === undefined ? {} : { message }) });
    this.emit('node.waiting', nodeId);
  }

  succeeded(nodeId: string, outcome: { output: unknown; branch?: string; attempts?: number; reusedFrom?: string }): void {
    const node = this.nodes[nodeId];
    Object.assign(node, { status: 'succeeded', endedAt: Date.now(), branch: outcome.branch, reusedFrom: outcome.reusedFrom });
    if (outcome.attempts !== undefined) node.attempts = outcome.attempts;
    this.io[nodeId] = { ...this.io[nodeId], output: outcome.output };
    this.emit('node.succeeded', nodeId, { attempts: node.attempts || undefined, branch: outcome.branch });
  }

  failed(nodeId: string, error: NodeError, attempts: number, output?: unknown): void {
    Object.assign(this.nodes[nodeId], { status: 'failed', endedAt: Date.now(), error, attempts });
    if (output !== undefined) this.io[nodeId] = { ...this.io[nodeId], output };
    this.emit('node.failed', nodeId, { attempts: attempts || undefined, error });
  }

  skipped(nodeId: string): void {
    Object.assign(this.nodes[nodeId], { status: 'skipped', endedAt: Date.now() });
    this.emit('node.skipped', nodeId);
  }

  /** An Agent's tools get node states of their own, so the canvas can colour them as the agent calls them. */
  toolsRegistered(toolIds: string[]): void {
    for (const id of toolIds) this.nodes[id] ??= { status: 'pending', attempts: 0, toolCalls: { running: 0, succeeded: 0, failed: 0 } };
  }

  agentModelAnswered(agentId: string, iteration: number, summary: string): void {
    this.emit('agent.model', agentId, { iteration, summary });
  }

  toolCallStarted(toolId: string): void {
    const tool = this.nodes[toolId];
    tool.toolCalls = { running: 0, succeeded: 0, failed: 0, ...tool.toolCalls };
    tool.toolCalls.running++;
    Object.assign(tool, { status: 'running', startedAt: tool.startedAt ?? Date.now() });
  }

  toolCallEnded(call: { agentId: string; toolId: string; iteration: number; summary: string; attempts: number; io: NodeIo; error?: NodeError }): void {
    const tool = this.nodes[call.toolId];
    const calls = tool.toolCalls as NonNullable<NodeState['toolCalls']>;
    calls.running--;
    if (call.error) calls.failed++;
    else calls.succeeded++;
    const status = calls.running > 0 ? 'running' : call.error ? 'failed' : 'succeeded';
    Object.assign(tool, { status, endedAt: Date.now(), error: call.error, attempts: tool.attempts + call.attempts });
    this.io[call.toolId] = call.io;
    this.emit('agent.tool', call.agentId, { toolNodeId: call.toolId, iteration: call.iteration, summary: call.summary, error: call.error });
  }

  /** A For Each node's loop: the progress object is the loop's own, updated in place as its chunks run and end. */
  forEachStarted(nodeId: string, progress: ForEachProgress): void {
    this.nodes[nodeId].forEach = progress;
  }

  /** Tools the agent never called are skipped, like a branch not taken. */
  toolsUnused(toolIds: string[]): void {
    for (const id of toolIds) if (this.nodes[id].status === 'pending') Object.assign(this.nodes[id], { status: 'skipped', endedAt: Date.now() });
  }

  /**
   * The run was cancelled while `nodeId` was running or waiting: it is cancelled, and so is everything else in
   * flight; what never started did not run. The closing `run.cancelled` event is the API's to send (see run-events.ts).
   * Query state only, like everything here, so changing it leaves replay alone.
   */
  cancelled(nodeId: string, attempts: number): void {
    Object.assign(this.nodes[nodeId], { status: 'cancelled', endedAt: Date.now(), attempts });
    this.emit('node.cancelled', nodeId, { attempts: attempts || undefined });
    this.status = 'cancelled';
    Object.assign(this.nodes, settleEndedRun(this.nodes, Date.now()));
  }

  /** A failed run cuts off what was in flight and never runs what was pending. */
  finished(status: 'succeeded' | 'failed', error?: NodeError): void {
    this.status = status;
    if (status === 'failed') Object.assign(this.nodes, settleEndedRun(this.nodes, Date.now()));
    this.emit(status === 'succeeded' ? 'run.succeeded' : 'run.failed', undefined, { error });
  }

  private emit(type: RunEventType, nodeId?: string, extra: Omit<RunEvent, 'seq' | 'at' | 'type' | 'nodeId'> = {}): void {
    const event: RunEvent = { seq: this.events.length + 1, at: Date.now(), type, nodeId };
    for (const [key, value] of Object.entries(extra)) if (value !== undefined) Object.assign(event, { [key]: value });
    this.events.push(event);
  }
}
