/** Waiting in tests: poll a condition until a deadline, never a bare sleep. */

/** Blocks this thread for ms (no child process, no event loop turn). */
export function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Polls `ready` every `everyMs` until it holds and returns the seconds it took; after `seconds`
 * throws with `what` (a function, to say what was last seen).
 */
export function waitUntil(what: string | (() => string), ready: () => boolean, seconds = 90, everyMs = 200): number {
  const start = Date.now();
  for (;;) {
    if (ready()) return (Date.now() - start) / 1000;
    if (Date.now() - start >= seconds * 1000) throw new Error(`${typeof what === 'string' ? what : what()}: not after ${seconds} s`);
    sleepMs(everyMs);
  }
}
