import type { Paint } from '../report/diagnostics.js';
import type { Io } from './io.js';

/**
 * Colour only on a terminal and never with NO_COLOR set (https://no-color.org). The environment is
 * asked first: whether stdout is a terminal may load node:tty (src/cli/io.ts).
 */
export function useColour(io: Io): boolean {
  return !io.env.NO_COLOR && io.env.TERM !== 'dumb' && io.isTTY;
}

/** An SGR attribute: the escape that turns it on and the one that turns it off. */
type Sgr = readonly [on: string, off: string];
const RED: Sgr = ['\u001b[31m', '\u001b[39m'];
const GREEN: Sgr = ['\u001b[32m', '\u001b[39m'];
const YELLOW: Sgr = ['\u001b[33m', '\u001b[39m'];
const BOLD: Sgr = ['\u001b[1m', '\u001b[22m'];
const DIM: Sgr = ['\u001b[2m', '\u001b[22m'];

/**
 * Wraps text in the attributes (outermost first), as chalk did at its 16-colour level, byte for
 * byte: an attribute that text inside turns off is turned on again right after, and every line
 * is closed before its line break and reopened after it (a terminal carries attributes across a
 * break into the next prompt). chalk itself was left for this: loading it asks node:tty, node:os
 * and the terminal about colour support at every start, which hactl decides itself (useColour).
 */
function styled(sgr: readonly Sgr[], text: string): string {
  if (!text) return text;
  const on = sgr.map((s) => s[0]).join('');
  const off = sgr.map((s) => s[1]).reverse().join('');
  let out = text;
  if (out.includes('\u001b')) {
    for (let i = sgr.length - 1; i >= 0; i--) out = out.split(sgr[i]![1]).join(sgr[i]![1] + sgr[i]![0]);
  }
  return on + out.replace(/\r?\n/g, (br) => off + br + on) + off;
}

export function paintFor(io: Io): Paint & { ok(s: string): string; added(s: string): string; removed(s: string): string; changed(s: string): string } {
  const paint = (...sgr: Sgr[]) => (useColour(io) ? (s: string) => styled(sgr, s) : (s: string) => s);
  return {
    error: paint(RED, BOLD),
    warning: paint(YELLOW, BOLD),
    dim: paint(DIM),
    bold: paint(BOLD),
    ok: paint(GREEN),
    added: paint(GREEN),
    removed: paint(RED),
    changed: paint(YELLOW),
  };
}
