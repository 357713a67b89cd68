/** The file name of the sandbox thread's compiled entry, beside the built server's bundle. */
export const SANDBOX_THREAD_BUNDLE = 'sandbox-thread.js';
