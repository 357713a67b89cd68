import type { CollectionDto } from '$contract/collections';

type Metric = CollectionDto['metric'];

/** The distance metrics, named for people; a Record, so a metric added to the contract must be named here too. */
export const METRIC_LABELS: Record<Metric, string> = {
  cosine: 'cosine (text embeddings)',
  l2: 'Euclidean (L2)',
  inner_product: 'inner product',
};

export const METRICS = Object.keys(METRIC_LABELS) as Metric[];

/** The local embedder's vector length, the API's default dimension. */
export const LOCAL_EMBEDDER_DIMENSION = 384;

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 0 B, 812 B, 1.5 KiB, 24 MiB: one decimal below 10 of a unit. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 || value >= 10 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${UNITS[unit]}`;
}
