import { chmod, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Makes `target` readable by its owner only: a directory and everything under it (directories 0700, files 0600), or
 * one file (0600). Data directories hold the database, Temporal's state and keys; other local users get nothing.
 * Symbolic links are left alone (chmod would follow them out of the tree). What vanishes meanwhile is skipped.
 */
export async function makePrivate(target: string): Promise<void> {
  try {
    const stats = await lstat(target);
    if (stats.isSymbolicLink()) return;
    const mode = stats.isDirectory() ? 0o700 : 0o600;
    if ((stats.mode & 0o777) !== mode) await chmod(target, mode);
    if (stats.isDirectory()) for (const entry of await readdir(target)) await makePrivate(path.join(target, entry));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** A SQLite database and its companions (write-ahead log, shared memory, journal), which SQLite creates like it. */
export async function makeSqlitePrivate(file: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm', '-journal']) await makePrivate(`${file}${suffix}`);
}
