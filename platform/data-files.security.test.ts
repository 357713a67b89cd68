import { chmod, lstat, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDevServer } from './dev-server';
import { makePrivate } from './private-files';
import { ensureTemporalCli } from './temporal-cli';

/** What `npm start` keeps in its data directory (Temporal's runs, the database, keys) is its owner's alone. */

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'kai-data-files-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

const modeOf = async (file: string) => (await lstat(file)).mode & 0o777;

test("the Temporal dev server's database, new or left world-readable by an earlier version, is 0600", async () => {
  const dbFile = path.join(dir, 'data', 'temporal.db');
  const server = await startDevServer({ cliPath: await ensureTemporalCli(), port: 0, dbFile });
  try {
    expect(await modeOf(path.dirname(dbFile))).toBe(0o700);
    expect(await modeOf(dbFile)).toBe(0o600);
  } finally {
    await server.stop();
  }
  await chmod(dbFile, 0o644);
  const again = await startDevServer({ cliPath: await ensureTemporalCli(), port: 0, dbFile });
  try {
    expect(await modeOf(dbFile)).toBe(0o600);
  } finally {
    await again.stop();
  }
}, 120_000);

test('makePrivate makes directories 0700 and files 0600 all the way down, and leaves symbolic links alone', async () => {
  const nested = path.join(dir, 'a', 'b');
  await mkdir(nested, { recursive: true });
  await writeFile(path.join(nested, 'file'), 'x');
  await chmod(path.join(nested, 'file'), 0o666);
  const outside = path.join(tmpdir(), `kai-outside-${process.pid}`);
  await writeFile(outside, 'y', { mode: 0o644 });
  await symlink(outside, path.join(dir, 'link'));
  try {
    await makePrivate(dir);
    expect([await modeOf(dir), await modeOf(path.join(dir, 'a')), await modeOf(nested), await modeOf(path.join(nested, 'file'))]).toEqual([0o700, 0o700, 0o700, 0o600]);
    expect(await modeOf(outside)).toBe(0o644);
  } finally {
    await rm(outside, { force: true });
  }
});
