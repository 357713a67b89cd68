/**
 * Arrays and objects a JSON body may nest. Parsing copes with far deeper text, but the code that walks a parsed body
 * afterwards (validation, templates, storage) recurses and overflows the stack at a few thousand levels.
 */
export const MAX_JSON_NESTING_DEPTH = 100;

export const jsonNestingMessage = `the JSON body is nested deeper than the limit of ${MAX_JSON_NESTING_DEPTH} levels of arrays and objects`;

/** Counted over the text, without recursion; brackets inside strings do not count. Malformed JSON is JSON.parse's to refuse. */
export function nestedDeeperThan(json: string, limit = MAX_JSON_NESTING_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const char = json[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      if (++depth > limit) return true;
    } else if (char === '}' || char === ']') depth--;
  }
  return false;
}
