/** Offers `value` as a JSON file download. */
export function downloadJson(value: unknown, filename: string): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A file-system-safe name for a workflow's export. */
export function exportFilename(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'workflow'}.kai.json`;
}

/** The JSON inside a chosen file; a file that is not JSON is reported with its name. */
export async function readJsonFile(file: File): Promise<unknown> {
  const text = await file.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${file.name} is not a JSON file`);
  }
}

/**
 * What to send to the import endpoint for a chosen file's JSON. An export document goes as it is; a bare graph (as
 * examples/*.json hold) is wrapped in one named after the file, since the graph carries no name of its own.
 */
export function importBodyOf(json: unknown, fileName: string): unknown {
  const isBareGraph = typeof json === 'object' && json !== null && 'nodes' in json && !('kaiFusion' in json);
  if (!isBareGraph) return json;
  const name = fileName.replace(/(\.kai)?\.json$/i, '').trim() || 'Imported workflow';
  return { kaiFusion: 1, workflow: { name, graph: json } };
}
