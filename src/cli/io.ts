import { fstatSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';

// node:readline, node:tty and node:v8 are loaded when first needed (a prompt, live progress,
// colour, V8's flags): loading them, like creating process.stdout or process.stderr (to write, or
// to ask whether they are terminals), costs every command at start-up (node:tty brings node:net
// and the streams).
const requireBuiltin = createRequire(import.meta.url);

/**
 * Whether a descriptor is a terminal. Only a character device can be one: a pipe or a file is
 * told by fstat, without node:tty; /dev/null and terminals are asked of node:tty.
 */
function isatty(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return (requireBuiltin('node:tty') as typeof import('node:tty')).isatty(fd);
}

/**
 * Writes to descriptor 1 or 2 with write(2), without creating process.stdout or process.stderr:
 * creating one loads Node's stream modules (and node:net for a pipe), 3-4 ms of every start for a
 * few lines of output. A write that fails (EAGAIN: a full pipe made non-blocking, as Node's own
 * stream for a pipe makes it; EPIPE: the reader has gone; EBADF) hands what is left of it, and
 * every later write, to the stream, so the order is kept and the stream waits for a full pipe or
 * reports the error as it always did.
 */
function descriptorWriter(fd: 1 | 2, stream: () => NodeJS.WriteStream): (text: string) => void {
  let streamed = false;
  return (text) => {
    if (streamed) {
      stream().write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(fd, bytes, written);
    } catch {
      streamed = true;
      stream().write(bytes.subarray(written));
    }
  };
}

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
  columns?: number | undefined;
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
  let stdoutIsTTY: boolean | undefined;
  return {
    stdout: descriptorWriter(1, () => process.stdout),
    stderr: descriptorWriter(2, () => process.stderr),
    // Asked when colour is not already ruled out (NO_COLOR, TERM=dumb), and by check's layout.
    get isTTY() {
      return (stdoutIsTTY ??= isatty(1));
    },
    // Asked by apply (prompts) and live progress only.
    get stdinIsTTY() {
      return isatty(0);
    },
    get stderrIsTTY() {
      return isatty(2);
    },
    get columns() {
      return this.isTTY && process.stdout.columns ? process.stdout.columns : undefined;
    },
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
