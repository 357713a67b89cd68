/** Unpaired UTF-16 surrogates have no UTF-8 form, so Temporal (protobuf) refuses them. */
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;

/** Text PostgreSQL (no U+0000 in text or jsonb) or Temporal cannot store; request bodies and queries may hold either. */
export function isUnstorable(text: string): boolean {
  return text.includes('\u0000') || UNPAIRED_SURROGATE.test(text);
}
