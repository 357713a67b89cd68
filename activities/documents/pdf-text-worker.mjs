// Extracts a PDF's text in a worker thread (see pdf-text.ts): plain ESM, so unpdf's PDF.js build loads natively.
import { parentPort, workerData } from 'node:worker_threads';
import { extractText, getDocumentProxy } from 'unpdf';

const pdf = await getDocumentProxy(new Uint8Array(workerData));
const { totalPages, text } = await extractText(pdf, { mergePages: false });
parentPort.postMessage({ pages: totalPages, text: text.map((page) => page.trim()).join('\n\n') });
