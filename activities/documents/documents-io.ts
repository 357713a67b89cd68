import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import type { OutputRef } from '../../engine/output-ref';
import type { NodeRunContext } from '../node-definition';
import type { Document, EmbeddedDocument } from './document';

const documentSchema = z.object({ id: z.string(), text: z.string(), metadata: z.record(z.string(), z.unknown()) });
const embeddedDocumentSchema = documentSchema.extend({ embedding: z.array(z.number()) });

/** What every documents node outputs: the documents themselves stay outside Temporal, behind `documents`. */
export interface DocumentsOutput {
  documents: OutputRef;
  count: number;
  /** The first few documents, cut short, for the run view. */
  preview: { id: string; source?: unknown; text: string }[];
}

export const documentsOutputSchema = z.object({
  documents: z.object({ $kaiRef: z.string(), bytes: z.number() }).describe('reference to the stored Document[]; the next node loads it'),
  count: z.number(),
  preview: z.array(z.object({ id: z.string(), source: z.unknown(), text: z.string() })),
});

const PREVIEW_DOCUMENTS = 3;
const PREVIEW_CHARACTERS = 100;

export async function storeDocuments(context: Pick<NodeRunContext<unknown>, 'store'>, documents: Document[] | EmbeddedDocument[]): Promise<DocumentsOutput> {
  return {
    documents: await context.store('documents', documents),
    count: documents.length,
    preview: documents.slice(0, PREVIEW_DOCUMENTS).map((document) => ({ id: document.id, source: document.metadata.source, text: document.text.slice(0, PREVIEW_CHARACTERS) })),
  };
}

/**
 * The documents arriving on `handle`: a documents node's output (its reference already loaded), a bare array, or
 * several of either when several edges share the handle.
 */
export function documentsFrom(incoming: Record<string, unknown>, label: string, handle = 'in'): Document[] {
  return collect(incoming[handle], documentSchema, label, handle);
}

export function embeddedDocumentsFrom(incoming: Record<string, unknown>, label: string, handle = 'in'): EmbeddedDocument[] {
  return collect(incoming[handle], embeddedDocumentSchema, label, handle);
}

function collect<T>(value: unknown, schema: z.ZodType<T>, label: string, handle: string): T[] {
  const sources = Array.isArray(value) && value.every(isDocumentsOutput) ? value : [value];
  const items = sources.flatMap((source) => (isDocumentsOutput(source) ? source.documents : source));
  const parsed = z.array(schema).safeParse(items);
  if (parsed.success) return parsed.data;
  throw ApplicationFailure.create({
    message: `${label} expects documents on its "${handle}" input (the output of a documents node): ${parsed.error.issues[0]?.path.join('.') || 'input'}: ${parsed.error.issues[0]?.message}`,
    type: 'InvalidNodeInput',
    nonRetryable: true,
  });
}

function isDocumentsOutput(value: unknown): value is { documents: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { documents?: unknown }).documents);
}
