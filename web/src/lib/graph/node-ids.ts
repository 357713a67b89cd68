/**
 * A new node id from its type, unused in `taken`: `http_request_2`. Ids appear in templates
 * (`{{ nodes.<id>.output }}`), so they keep to letters, digits and underscores and start with a letter.
 */
export function newNodeId(type: string, taken: ReadonlySet<string>): string {
  const base = type.replace(/[^A-Za-z0-9]+/g, '_').replace(/^[^A-Za-z]+/, '').slice(0, 50) || 'node';
  for (let n = 1; ; n++) {
    const id = `${base}_${n}`;
    if (!taken.has(id)) return id;
  }
}
