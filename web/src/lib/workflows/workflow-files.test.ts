import { exportFilename, importBodyOf } from './workflow-files';

describe('workflow files', () => {
  it('wraps a bare graph in an export document named after its file, and sends a document as it is', () => {
    const graph = { nodes: [], edges: [] };
    expect(importBodyOf(graph, 'linear-http.json')).toEqual({ kaiFusion: 1, workflow: { name: 'linear-http', graph } });
    expect(importBodyOf(graph, 'Orders.kai.json')).toMatchObject({ workflow: { name: 'Orders' } });
    const document = { kaiFusion: 1, workflow: { name: 'Kept', graph } };
    expect(importBodyOf(document, 'other.json')).toBe(document);
    expect(importBodyOf([1, 2], 'list.json')).toEqual([1, 2]);
  });

  it('names an export after the workflow, safely for any file system', () => {
    expect(exportFilename('Orders / EU: daily')).toBe('Orders-EU-daily.kai.json');
  });
});
