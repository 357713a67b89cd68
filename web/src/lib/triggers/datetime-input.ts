/**
 * `<input type="datetime-local">` values are wall-clock times of the browser's zone without one: these turn them
 * into the ISO instants the API takes, and back.
 */

export function instantOfLocalInput(value: string): string | null {
  if (!value) return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

export function localInputOf(time: Date): string {
  const local = new Date(time.getTime() - time.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
