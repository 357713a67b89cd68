import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { binaryVersion, composeTemporalServerTag, ensureTemporalServerTools } from './temporal-server';

const composeText = readFileSync(path.resolve(__dirname, '..', 'docker-compose.yml'), 'utf8');

describe('the production Temporal server tools', () => {
  it('reads the server version from the compose file, whose schema and namespace jobs use the same version', () => {
    const tag = composeTemporalServerTag(composeText);
    expect(tag).toMatch(/^v\d+\.\d+\.\d+$/);
    const adminTools = [...composeText.matchAll(/image:\s*temporalio\/admin-tools:(\S+)/g)].map((match) => match[1]);
    expect(adminTools.length).toBeGreaterThan(0);
    expect(adminTools.filter((imageTag) => !imageTag.startsWith(`${tag.slice(1)}-`))).toEqual([]);
  });

  it('refuses a compose file without a pinned server image', () => {
    expect(() => composeTemporalServerTag('services:\n  temporal:\n    image: temporalio/server:latest\n')).toThrow(/temporalio\/server/);
  });

  // Builds both with Go when .tools/bin lacks them (CI's install step builds them first; minutes otherwise).
  it('builds or finds the server and SQL tool at that version, with its PostgreSQL schema', async () => {
    const tools = await ensureTemporalServerTools(() => undefined);
    expect(tools.tag).toBe(composeTemporalServerTag(composeText));
    expect(binaryVersion(tools.serverPath)).toBe(tools.tag);
    expect(binaryVersion(tools.sqlToolPath)).toBe(tools.tag);
    for (const schema of ['temporal', 'visibility']) expect(existsSync(path.join(tools.postgresSchemaDir, schema, 'versioned'))).toBe(true);
  }, 20 * 60_000);
});
