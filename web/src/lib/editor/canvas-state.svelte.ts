import type { Connection } from '@xyflow/svelte';
import type { CanvasEdge, CanvasNode, Catalogue, Graph, NodeSettings, PinnedOutput } from '../graph/canvas-types';
import { clipFromText, clipToText } from '../graph/clip-text';
import { copySelection, pasteClip, type Clip } from '../graph/clipboard';
import { connectionProblem, type ProposedConnection } from '../graph/connection-rules';
import { nodesOnCycles } from '../graph/cycles';
import { edgeIdOf, toFlow, toGraph } from '../graph/flow-mapping';
import { problemsByNode, type PlacedProblem } from '../graph/graph-problems';
import { EditHistory } from '../graph/history';
import { autoLayout, NODE_SIZE } from '../graph/layout';
import { newNodeId } from '../graph/node-ids';
import { placeAfter, placeNear, type Box } from '../graph/placement';
import { SavedGraph } from '../graph/saved-graph';
import type { RunOverlay } from '../runs/run-overlay';
import { markRunPath } from '../runs/run-path';
import { readClipboardText, writeClipboardText } from './system-clipboard';

/** An output handle of a node, which a new node can be added after. */
export interface OutputRef {
  nodeId: string;
  handleId: string;
}

interface Snapshot {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}

/** How far down and right a pasted copy lands from the original, in flow units. */
const PASTE_OFFSET = 40;

/** Typing into one field within this long is one undo step. */
const COALESCE_MS = 1000;

/**
 * Everything the canvas shows: nodes and edges (bound to xyflow), the server's problems and a run's overlay. Every
 * edit goes through `edit`, which records the state before it, so undo/redo cover drags, connections, deletions,
 * pastes, layouts and form changes alike. Read-only canvases (an opened run) refuse edits.
 */
export class CanvasState {
  nodes = $state.raw<CanvasNode[]>([]);
  edges = $state.raw<CanvasEdge[]>([]);
  problems = $state.raw<PlacedProblem[]>([]);
  private shownOverlay = $state.raw<RunOverlay>({});
  dirty = $state(false);
  /** The output a node's "+" offered: the next node added from the palette goes after it, connected. */
  addFrom = $state<OutputRef | null>(null);
  /** Bumped on every history change, so undo/redo buttons re-read `canUndo`/`canRedo`. */
  private revision = $state(0);
  private readonly history = new EditHistory<Snapshot>();
  private readonly saved: SavedGraph;
  private clip: Clip | null = null;
  /** The clipboard text pasted last and how many times in a row, so repeated pastes do not stack up. */
  private pastedText: string | null = null;
  private pastes = 0;
  private lastCoalesce: { key: string; at: number } | null = null;

  readonly problemsOf = $derived(problemsByNode(this.problems));
  /** Every node on a loop (a loaded graph may hold one; drawing refuses to close one). */
  readonly onCycle = $derived(nodesOnCycles(this.edges));
  readonly selectedNodes = $derived(this.nodes.filter((node) => node.selected));
  /** Outputs with an edge leaving them, as `node\u0000handle` (an empty handle: the node's only output). */
  private readonly followed = $derived(new Set(this.edges.map((edge) => `${edge.source}\u0000${edge.sourceHandle ?? ''}`)));
  /** `addFrom` while its node is still the one selected (choosing another node drops the offer). */
  readonly offeredOutput = $derived(
    this.addFrom && this.selectedNodes.length === 1 && this.selectedNodes[0].id === this.addFrom.nodeId ? this.addFrom : null,
  );

  constructor(
    graph: Graph,
    readonly catalogue: Catalogue,
    readonly readonly = false,
  ) {
    const flow = toFlow(graph);
    this.nodes = flow.nodes;
    this.edges = flow.edges;
    this.saved = new SavedGraph(this.graph());
  }

  /** A run's outcomes drawn over the graph (empty: none). */
  get overlay(): RunOverlay {
    return this.shownOverlay;
  }

  /** Showing a run also marks its path on the edges: taken ones coloured, the others dimmed, loops' item counts. */
  set overlay(overlay: RunOverlay) {
    this.shownOverlay = overlay;
    this.edges = markRunPath(this.edges, overlay);
  }

  get canUndo(): boolean {
    void this.revision;
    return this.history.canUndo;
  }

  get canRedo(): boolean {
    void this.revision;
    return this.history.canRedo;
  }

  graph(): Graph {
    return toGraph(this.nodes, this.edges);
  }

  /**
   * `graph` (as sent, so edits made while it was on its way stay unsaved) is saved; `problems` are the warnings the
   * server answered with (a draft may be saved unfinished).
   */
  markSaved(graph: Graph, problems: PlacedProblem[] = []): void {
    this.saved.update(graph);
    this.dirty = !this.saved.matches(this.graph());
    this.problems = problems;
  }

  /** Records the current state for undo, then applies `change`. Edits with the same `coalesce` key close together are one step. */
  edit(change: () => void, coalesce?: string): void {
    if (this.readonly) return;
    const now = Date.now();
    const sameStep = coalesce !== undefined && this.lastCoalesce?.key === coalesce && now - this.lastCoalesce.at < COALESCE_MS;
    if (!sameStep) this.history.record({ nodes: this.nodes, edges: this.edges });
    this.lastCoalesce = coalesce === undefined ? null : { key: coalesce, at: now };
    change();
    this.dirty = true;
    this.revision++;
  }

  addNode(type: string, position: { x: number; y: number }): string | undefined {
    return this.insert(type, () => position);
  }

  /**
   * Adds a node from the palette: after the output a node's "+" offered, else after the selected node, connected to
   * it when the rules allow; with neither, in free space near `centre` (the viewport's centre). Never on top of another.
   */
  addFromPalette(type: string, centre: { x: number; y: number }): string | undefined {
    const from = this.outputToFollow();
    this.addFrom = null;
    if (!from) return this.insert(type, (size) => placeNear(centre, size, this.boxes()));
    const anchor = this.nodes.find((node) => node.id === from.nodeId)!;
    const outputs = this.catalogue.get(anchor.data.nodeType)?.handles.outputs ?? [];
    const slot = { index: Math.max(0, outputs.findIndex((handle) => handle.id === from.handleId)), count: outputs.length };
    return this.insert(type, (size) => placeAfter(boxOf(anchor), size, this.boxes(), slot), from);
  }

  /** Whether an edge leaves this output (the `index`th of its node); free outputs show their "+" unselected. */
  isFollowed(nodeId: string, handleId: string, index: number): boolean {
    return this.followed.has(`${nodeId}\u0000${handleId}`) || (index === 0 && this.followed.has(`${nodeId}\u0000`));
  }

  /** A node's "+" on one of its outputs: selects the node and remembers the output for the next palette add. */
  offerAddAfter(output: OutputRef): void {
    this.select(output.nodeId);
    this.addFrom = output;
  }

  private outputToFollow(): OutputRef | null {
    const selected = this.selectedNodes.length === 1 ? this.selectedNodes[0] : null;
    if (!selected) return null;
    if (this.offeredOutput) return this.offeredOutput;
    const first = this.catalogue.get(selected.data.nodeType)?.handles.outputs[0];
    return first ? { nodeId: selected.id, handleId: first.id } : null;
  }

  /** One undoable step: the new node, selected alone, and its edge from `from` when the connection rules allow it. */
  private insert(type: string, place: (size: typeof NODE_SIZE) => { x: number; y: number }, from?: OutputRef): string | undefined {
    const nodeType = this.catalogue.get(type);
    if (!nodeType) return undefined;
    const id = newNodeId(type, new Set(this.nodes.map((node) => node.id)));
    const node: CanvasNode = { id, type: 'kai', position: place(NODE_SIZE), selected: true, data: { nodeType: type, version: nodeType.version, settings: { config: {} } } };
    this.edit(() => {
      this.nodes = [...this.nodes.map((other) => (other.selected ? { ...other, selected: false } : other)), node];
      if (!from) return;
      // The first input that takes the connection: a memory node's output goes to an LLM's Memory, not its Input.
      const connection = nodeType.handles.inputs
        .map((input) => ({ source: from.nodeId, sourceHandle: from.handleId, target: id, targetHandle: input.id }))
        .find((candidate) => this.connectionProblem(candidate) === null);
      if (connection) this.edges = [...this.edges, { ...connection, id: edgeIdOf(connection) }];
    });
    return id;
  }

  private boxes(): Box[] {
    return this.nodes.map(boxOf);
  }

  /** Why xyflow should refuse this connection, or null. */
  connectionProblem(connection: Connection | CanvasEdge | ProposedConnection): string | null {
    const types = new Map(this.nodes.map((node) => [node.id, node.data.nodeType]));
    return connectionProblem(connection, { typeOf: (id) => types.get(id), catalogue: this.catalogue, existing: this.edges });
  }

  /** The edge xyflow adds for an accepted connection (a stable id, recorded for undo); null refuses it. */
  edgeFor(connection: Connection): CanvasEdge | null {
    if (this.readonly || this.connectionProblem(connection) !== null) return null;
    this.history.record({ nodes: this.nodes, edges: this.edges });
    this.dirty = true;
    this.revision++;
    return { ...connection, id: edgeIdOf(connection) };
  }

  /** Called before xyflow deletes (Delete key) or moves (drag start) something, so the change can be undone. */
  beforeChange(): void {
    if (this.readonly) return;
    this.history.record({ nodes: this.nodes, edges: this.edges });
    this.dirty = true;
    this.revision++;
  }

  deleteSelection(): void {
    const gone = new Set(this.selectedNodes.map((node) => node.id));
    this.edit(() => {
      this.nodes = this.nodes.filter((node) => !gone.has(node.id));
      this.edges = this.edges.filter((edge) => !edge.selected && !gone.has(edge.source) && !gone.has(edge.target));
    });
  }

  updateNode(id: string, change: { settings?: NodeSettings; label?: string }, coalesce?: string): void {
    this.edit(() => {
      this.nodes = this.nodes.map((node) => {
        if (node.id !== id) return node;
        const data = { ...node.data, ...(change.settings ? { settings: change.settings } : {}) };
        if (change.label !== undefined) {
          if (change.label.trim() === '') delete data.label;
          else data.label = change.label;
        }
        return { ...node, data };
      });
    }, coalesce);
  }

  /** Pins `pinned` on the node (undefined unpins it), as an edit that can be undone. */
  setPinned(id: string, pinned: PinnedOutput | undefined): void {
    this.edit(() => {
      this.nodes = this.nodes.map((node) => {
        if (node.id !== id) return node;
        const { pinned: _previous, ...data } = node.data;
        return { ...node, data: pinned === undefined ? data : { ...data, pinned } };
      });
    });
  }

  /** Copies the selected nodes: kept here, and put on the system clipboard as JSON for other tabs and workflows. */
  copy(): number {
    this.clip = copySelection(this.nodes, this.edges);
    this.pastedText = null;
    if (this.clip.nodes.length > 0) void writeClipboardText(clipToText(this.clip));
    return this.clip.nodes.length;
  }

  /**
   * Pastes the nodes on the system clipboard (checked: see clipFromText), or, when it cannot be read or holds no
   * nodes, the ones last copied here. Each paste of the same copy lands a step further down and right.
   */
  async paste(): Promise<void> {
    const text = (await readClipboardText()) ?? null;
    const read = text === null ? null : clipFromText(text, this.catalogue);
    const fromSystem = read && !('refused' in read) ? read : null;
    const clip = fromSystem ?? this.clip;
    if (!clip || clip.nodes.length === 0) return;
    this.pastes = fromSystem && text === this.pastedText ? this.pastes + 1 : 1;
    this.pastedText = fromSystem ? text : null;
    const step = PASTE_OFFSET * this.pastes;
    const pasted = pasteClip(clip, new Set(this.nodes.map((node) => node.id)), { x: step, y: step });
    this.edit(() => {
      this.nodes = [...this.nodes.map((node) => ({ ...node, selected: false })), ...pasted.nodes];
      this.edges = [...this.edges, ...pasted.edges];
    });
    // The canvas's own copy moves with each paste, so the next one lands further on.
    if (!fromSystem) this.clip = { nodes: pasted.nodes, edges: pasted.edges };
  }

  selectAll(): void {
    this.nodes = this.nodes.map((node) => ({ ...node, selected: true }));
  }

  select(id: string): void {
    this.nodes = this.nodes.map((node) => (node.selected === (node.id === id) ? node : { ...node, selected: node.id === id }));
  }

  undo(): void {
    this.restore(this.history.undo({ nodes: this.nodes, edges: this.edges }));
  }

  redo(): void {
    this.restore(this.history.redo({ nodes: this.nodes, edges: this.edges }));
  }

  layout(): void {
    const boxes = this.nodes.map((node) => ({ ...boxOf(node), id: node.id }));
    const outputsOf = new Map(this.nodes.map((node) => [node.id, this.catalogue.get(node.data.nodeType)?.handles.outputs ?? []]));
    const links = this.edges.map((edge) => {
      const outputs = outputsOf.get(edge.source) ?? [];
      return { source: edge.source, target: edge.target, port: { index: Math.max(0, outputs.findIndex((handle) => handle.id === edge.sourceHandle)), count: Math.max(1, outputs.length) } };
    });
    const positions = autoLayout(boxes, links);
    this.edit(() => (this.nodes = this.nodes.map((node) => ({ ...node, position: positions.get(node.id) ?? node.position }))));
  }

  private restore(snapshot: Snapshot | undefined): void {
    if (!snapshot) return;
    this.nodes = snapshot.nodes;
    this.edges = snapshot.edges;
    this.dirty = !this.saved.matches(this.graph());
    this.lastCoalesce = null;
    this.revision++;
  }
}

function boxOf(node: CanvasNode): Box {
  return { ...node.position, width: node.measured?.width ?? NODE_SIZE.width, height: node.measured?.height ?? NODE_SIZE.height };
}
