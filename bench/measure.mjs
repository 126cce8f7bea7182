/**
 * Whole-process measurements: wall time from the parent (spawn to exit) and peak resident memory
 * from the kernel (getrusage of the child, as GNU time reports it). Each child leads its own
 * process group so that a timeout ends everything it started, pcs' python children included.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

export function haveGnuTime() {
  if (!existsSync(GNU_TIME)) return false;
  return spawnSync(GNU_TIME, ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs one command to its end (or its timeout). Resolves to
 * { ms, rssKiB, cpuMs, code, signal, timedOut, stderr }.
 */
export function runOnce(cmd, args, { env = process.env, cwd, timeoutMs = 0, scratch, input } = {}) {
  const rssFile = join(scratch, `rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const useTime = haveGnuTimeCached();
  // Peak RSS and CPU seconds (user, system): CPU time is what load on the machine distorts least.
  const argv = useTime ? ['-f', '%M %U %S', '-o', rssFile, cmd, ...args] : args;
  const exe = useTime ? GNU_TIME : cmd;
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(exe, argv, { env, cwd, detached: true, stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s) => {
      if (stderr.length < 64 * 1024) stderr += s;
    });
    if (input !== undefined) child.stdin.end(input);
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-child.pid, 'SIGKILL');
            } catch {
              // already gone
            }
          }, timeoutMs)
        : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (timer) clearTimeout(timer);
      let rssKiB;
      let cpuMs;
      if (useTime && existsSync(rssFile)) {
        // GNU time writes "Command exited with non-zero status N" before the figures on failure.
        const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
        const [rss, user, sys] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
        if (Number.isFinite(rss)) rssKiB = rss;
        if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = (user + sys) * 1000;
        rmSync(rssFile, { force: true });
      }
      resolve({ ms, rssKiB, cpuMs, code, signal, timedOut, stderr });
    });
  });
}

let timeChecked;
function haveGnuTimeCached() {
  if (timeChecked === undefined) timeChecked = haveGnuTime();
  return timeChecked;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return undefined;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Summary of samples: median, min, max, count; memory as the median peak. */
export function summarise(samples) {
  const ms = samples.map((s) => s.ms);
  const rss = samples.map((s) => s.rssKiB).filter((x) => x !== undefined);
  const cpu = samples.map((s) => s.cpuMs).filter((x) => x !== undefined);
  return {
    n: samples.length,
    medianMs: round(median(ms)),
    minMs: round(Math.min(...ms)),
    maxMs: round(Math.max(...ms)),
    ...(rss.length ? { maxRssMiB: round(median(rss) / 1024, 1) } : {}),
    // GNU time counts in hundredths of a second: enough for the whole-process figures compared here.
    ...(cpu.length ? { medianCpuMs: round(median(cpu)) } : {}),
  };
}

export function round(x, digits = 1) {
  if (x === undefined || !Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
