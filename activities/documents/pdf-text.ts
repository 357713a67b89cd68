import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** What one PDF may cost: parsing untrusted files runs apart, under a memory cap, and is stopped when cancelled. */
const PDF_MEMORY_MB = 512;

/**
 * The text of every page of a PDF (unpdf's serverless build of PDF.js), pages separated by blank lines. It runs in
 * a worker thread: a hostile or huge file cannot exhaust the worker process's heap or outlive a cancelled attempt.
 */
export function pdfText(bytes: Uint8Array, signal: AbortSignal): Promise<{ text: string; pages: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'pdf-text-worker.mjs'), { workerData: bytes, resourceLimits: { maxOldGenerationSizeMb: PDF_MEMORY_MB } });
    const abort = () => void worker.terminate();
    signal.addEventListener('abort', abort, { once: true });
    let settled = false;
    worker.once('message', (result: { text: string; pages: number }) => {
      settled = true;
      resolve(result);
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      signal.removeEventListener('abort', abort);
      if (!settled) reject(signal.aborted ? signal.reason : new Error(`PDF text extraction stopped (exit code ${code})`));
    });
  });
}
