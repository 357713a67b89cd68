import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** Copies `input` to `output` line by line, each line led by `prefix`, so interleaved processes stay readable. */
export function prefixLines(input: Readable, prefix: string, output: Writable): void {
  createInterface({ input, crlfDelay: Infinity }).on('line', (line) => output.write(`${prefix} ${line}\n`));
}
