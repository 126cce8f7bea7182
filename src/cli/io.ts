/** The only place that touches `process`: the CLI's view of the outside world, swappable in tests. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal (colour, live progress). */
  isTTY: boolean;
  /** Whether stdin is a terminal (prompts). */
  stdinIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  readStdin(): Promise<string>;
}

export function processIo(): Io {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: !!process.stdout.isTTY,
    stdinIsTTY: !!process.stdin.isTTY,
    env: process.env,
    cwd: process.cwd(),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
