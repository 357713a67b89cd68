import type { CanvasEdge, CanvasNode } from './canvas-types';
import { CLIP_FORMAT, clipFromText, clipToText } from './clip-text';
import { testCatalogue } from './test-catalogue';

const node = (id: string, nodeType: string, x = 10): CanvasNode => ({ id, type: 'kai', position: { x, y: 20 }, data: { nodeType, version: 1, label: id, settings: { config: { url: 'http://x' } } } });
const clip = {
  nodes: [node('fetch', 'http-request'), node('end', 'end', 300)],
  edges: [{ id: 'e1', source: 'fetch', target: 'end', sourceHandle: 'out', targetHandle: 'in' }] as CanvasEdge[],
};

describe('clipboard text', () => {
  it('round-trips copied nodes and their edges through JSON', () => {
    expect(clipFromText(clipToText(clip), testCatalogue)).toEqual(clip);
  });

  it('refuses text that is not copied nodes', () => {
    for (const text of ['hello', '{"nodes": []}', JSON.stringify({ format: 'other', nodes: [], edges: [] }), '[1]']) {
      expect(clipFromText(text, testCatalogue)).toEqual({ refused: 'the clipboard holds no copied nodes' });
    }
  });

  it('refuses nodes of unknown types, without positions or settings, and edges that leave the clip', () => {
    const text = (nodes: unknown[], edges: unknown[] = []) => JSON.stringify({ format: CLIP_FORMAT, nodes, edges });
    expect(clipFromText(text([node('x', 'rm-rf')]), testCatalogue)).toEqual({ refused: 'copied node "x" is of a type this canvas does not know' });
    expect(clipFromText(text([{ ...node('a', 'set'), position: { x: 'far', y: 0 } }]), testCatalogue)).toEqual({ refused: 'copied node "a" has no position' });
    expect(clipFromText(text([{ ...node('a', 'set'), data: { nodeType: 'set', version: 1, settings: 'x' } }]), testCatalogue)).toEqual({
      refused: 'copied node "a" has no version or settings',
    });
    expect(clipFromText(text([node('a', 'set')], [{ id: 'e', source: 'a', target: 'elsewhere' }]), testCatalogue)).toEqual({ refused: 'a copied edge does not join two copied nodes' });
  });

  it('keeps only the fields a canvas node has', () => {
    const extra = { ...node('a', 'set'), selected: true, style: 'position: fixed', data: { ...node('a', 'set').data, onclick: 'alert(1)' } };
    const read = clipFromText(JSON.stringify({ format: CLIP_FORMAT, nodes: [extra], edges: [] }), testCatalogue);
    expect(read).toEqual({ nodes: [node('a', 'set')], edges: [] });
  });
});
