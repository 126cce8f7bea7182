/**
 * Text that came from elsewhere (a node's stderr, a CIB, a remote tool's message) made safe for
 * the operator's terminal: C0 controls other than line feed and tab, DEL, C1 controls (ESC-less
 * CSI included) and the bidirectional overrides and isolates that reorder what is shown are
 * printed as \u escapes, so no escape sequence reaches the terminal and no text hides behind a
 * reordering.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(s: string): string {
  return s.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
