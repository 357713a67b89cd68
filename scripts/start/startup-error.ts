/** Something about this machine stops `npm start` (a busy port, no Temporal CLI); its message says what to do. */
export class StartupError extends Error {
  override name = 'StartupError';
}
