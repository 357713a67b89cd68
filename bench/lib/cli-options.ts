/** A whole number ≥ 1 from a command-line flag, or a RangeError naming the flag. */
export function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${flag} must be a positive integer, got "${text}"`);
  return value;
}
