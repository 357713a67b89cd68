import type { CanvasNode } from './canvas-types';
import { toFlow, toGraph } from './flow-mapping';
import { EditHistory } from './history';
import { SavedGraph } from './saved-graph';

const start: CanvasNode = { id: 'start', type: 'kai', position: { x: 0, y: 0 }, data: { nodeType: 'start', version: 1, settings: { config: {} } } };
const set: CanvasNode = { id: 'set_1', type: 'kai', position: { x: 300, y: 0 }, data: { nodeType: 'set', version: 1, settings: { config: {} } } };

describe('saved graph', () => {
  it('ignores what is not saved: selection, measured sizes, sub-pixel moves', () => {
    const saved = new SavedGraph(toGraph([start], []));
    expect(saved.matches(toGraph([{ ...start, selected: true, measured: { width: 180, height: 60 }, position: { x: 0.3, y: -0.2 } }], []))).toBe(true);
    expect(saved.matches(toGraph([{ ...start, position: { x: 40, y: 0 } }], []))).toBe(false);
  });

  it('matches again when undo returns to the saved state, and not after redo', () => {
    const history = new EditHistory<CanvasNode[]>();
    const saved = new SavedGraph(toGraph([start], []));
    history.record([start]);
    const undone = history.undo([start, set]);
    expect(saved.matches(toGraph(undone!, []))).toBe(true);
    expect(saved.matches(toGraph(history.redo(undone!)!, []))).toBe(false);
  });

  it('follows the graph last saved', () => {
    const { nodes } = toFlow(toGraph([start, set], []));
    const saved = new SavedGraph(toGraph([start], []));
    saved.update(toGraph(nodes, []));
    expect(saved.matches(toGraph([start, set], []))).toBe(true);
    expect(saved.matches(toGraph([start], []))).toBe(false);
  });
});
