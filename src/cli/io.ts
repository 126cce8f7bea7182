import { createRequire } from 'node:module';

// node:readline, node:tty and node:v8 are loaded when first needed (a prompt, live progress, a
// large topology): loading them, like reading process.stdin or process.stderr just to ask whether
// they are terminals, costs every command at start-up (node:tty brings node:net and the streams).
const requireBuiltin = createRequire(import.meta.url);
const isatty = (fd: number) => (requireBuiltin('node:tty') as typeof import('node:tty')).isatty(fd);

/** The only place that touches `process`: the CLI's view of the outside world, swappable in tests. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal (colour, live progress). */
  isTTY: boolean;
  /** Whether stdin is a terminal (prompts). */
  stdinIsTTY: boolean;
  /** Whether stderr is a terminal (live progress is drawn there, and only there). */
  stderrIsTTY?: boolean;
  /** Width of the terminal stdout writes to; undefined when it is not one. */
  columns?: number;
  env: Record<string, string | undefined>;
  cwd: string;
  readStdin(): Promise<string>;
  /** This process's id, and whether another process still runs (to clear a crashed run's debris). */
  pid?: number;
  isRunning?(pid: number): boolean;
  /** Asks the operator on the terminal (stdin, question on stderr) and returns the answer line. */
  ask(question: string): Promise<string>;
  /**
   * Tells the JavaScript engine to favour memory over speed for the rest of the process: V8's
   * --optimize-for-size, which collects sooner and grows the heap less. Asked for large
   * topologies only (a 1000-node cloud: 145 MB peak without it, 115 MB with it, for about a
   * fifth more CPU); a process that is not hactl's own (a test) has no reason to.
   */
  preferMemory?(): void;
  /**
   * Tells the JavaScript engine the run is short (a topology of tens of nodes): V8 hands a
   * function to its optimising compiler (TurboFan, on a helper thread) only after eight times
   * the usual amount of work in it. On the reference, validate and compile spent a sixth of their
   * instructions optimising the YAML lexer for a few milliseconds of use (callgrind: validate
   * 962M -> 791M, compile 1148M -> 950M; a 100-node compile 2708M -> 1864M); code that runs long
   * is still optimised, later.
   */
  preferShortRun?(): void;
}

export function processIo(): Io {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: !!process.stdout.isTTY,
    // Asked by apply (prompts) and live progress only.
    get stdinIsTTY() {
      return isatty(0);
    },
    get stderrIsTTY() {
      return isatty(2);
    },
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    env: process.env,
    cwd: process.cwd(),
    pid: process.pid,
    preferMemory: () => (requireBuiltin('node:v8') as typeof import('node:v8')).setFlagsFromString('--optimize-for-size'),
    // After the bundle is compiled from its code cache (V8 refuses a cache made under other
    // flags), and after the modules every command loads: Node's own code cache of a built-in
    // module required later is refused alike, and that module compiled from source.
    preferShortRun: () => (requireBuiltin('node:v8') as typeof import('node:v8')).setFlagsFromString(`--interrupt-budget=${8 * 67584}`),
    isRunning: (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        // EPERM: it runs, as another user.
        return (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    ask: async (question) => {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}
