/** A piece of text with where it came from: what loaders and scrapers produce and splitters cut into chunks. */
export interface Document {
  id: string;
  text: string;
  /** `source` (URL or file name), `title`, `chunk` (index within its source), and anything a loader adds. */
  metadata: Record<string, unknown>;
}

export interface EmbeddedDocument extends Document {
  embedding: number[];
}
