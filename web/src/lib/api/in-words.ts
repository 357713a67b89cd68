import { labelOf } from '../forms/schema-fields';

/** zod's type names as a person would say them. */
const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object of names and values',
  array: 'a list',
  null: 'empty',
  date: 'a date',
};

const REWORDINGS: [RegExp, (...groups: string[]) => string][] = [
  [/^Invalid input: expected (\w+), received undefined$/, () => 'is required'],
  [/^Invalid input: expected int, received number$/, () => 'must be a whole number'],
  [/^Invalid input: expected (\w+), received (\w+)$/, (expected, received) => `must be ${TYPE_WORDS[expected] ?? expected}, not ${TYPE_WORDS[received] ?? received}`],
  [/^Too small: expected string to have >=1 characters?$/, () => 'is required'],
  [/^Too (small|big): expected string to have (>=|<=)(\d+) characters?$/, (_, bound, count) => `must be at ${bound === '>=' ? 'least' : 'most'} ${count} characters`],
  [/^Too (small|big): expected array to have (>=|<=)(\d+) items?$/, (_, bound, count) => `must hold at ${bound === '>=' ? 'least' : 'most'} ${count} items`],
  [/^Too (small|big): expected number to be (>=|<=|>|<)(-?[\d.e+]+)$/, (_, bound, limit) => `must be ${{ '>=': 'at least', '<=': 'at most', '>': 'more than', '<': 'less than' }[bound]} ${limit}`],
  [/^Invalid option: expected one of (.+)$/, (options) => `must be one of ${options.replaceAll('|', ', ')}`],
  [/^Invalid (email|url|uuid)(?: address)?$/i, (kind) => `must be a valid ${kind.toLowerCase() === 'email' ? 'email address' : kind.toUpperCase()}`],
  [/^Unrecognized keys?: (.+)$/, (keys) => `has fields it does not take: ${keys}`],
];

/**
 * A validation message in words: zod's own wording ("Invalid input: expected record, received string") is
 * reworded; messages the API wrote itself ("must be at least 10 characters") are already words and kept.
 */
export function inWords(message: string): string {
  for (const [pattern, reword] of REWORDINGS) {
    const match = pattern.exec(message);
    if (match) return reword(...match.slice(1));
  }
  return message;
}

/** Where the request held the graph or the form (`body.`, `body.graph.`, `draft.` when publishing). */
const REQUEST_PREFIX = /^(?:(?:body|query|params)\.)?(?:(?:graph|workflow\.graph|draft)\.)?/;
const NODE_FIELD = /^nodes\.([^.]+)(?:\.data)?(?:\.(.+))?$/;

/** A field path as a person reads it: `body.password` → "Password", `…nodes.fetch.data.config.url` → "fetch › Url". */
export function fieldLabel(path: string): string {
  const inRequest = path.replace(REQUEST_PREFIX, '');
  const node = NODE_FIELD.exec(inRequest);
  const last = (segments: string) => labelOf(segments.split('.').filter((segment) => !/^\d+$/.test(segment)).pop() ?? segments);
  if (node) return node[2] ? `${node[1]} › ${last(node[2])}` : node[1];
  return last(inRequest);
}

/** "Url is required" for a message that reads as what the field is or must be; any other message stands alone. */
export function withSubject(label: string, message: string): string {
  return /^(is|must|has) /.test(message) ? `${label} ${message}` : message;
}
