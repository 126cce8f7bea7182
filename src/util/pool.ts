/**
 * The one bounded pool (per-node work in apply, crm_simulate runs in check): at most `limit` tasks
 * run at once, and after the first failure no new task starts (those running finish; the rest are
 * reported as skipped).
 */
/** Nodes worked on at once over SSH unless the operator says otherwise (apply --concurrency). */
export const NODE_CONCURRENCY = 8;

export type Settled<R> = { status: 'ok'; value: R } | { status: 'failed'; error: unknown } | { status: 'skipped' };

export async function runBounded<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>, opts: { stopOnFailure?: boolean } = {}): Promise<Settled<R>[]> {
  const stop = opts.stopOnFailure ?? true;
  const results: Settled<R>[] = items.map(() => ({ status: 'skipped' }));
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < items.length && !(stop && failed)) {
      const i = next++;
      try {
        results[i] = { status: 'ok', value: await task(items[i]!) };
      } catch (error) {
        results[i] = { status: 'failed', error };
        failed = true;
      }
    }
  };
  const n = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}

/** The values of a pool run in the items' order, or the first failure thrown. */
export function valuesOrThrow<R>(settled: readonly Settled<R>[]): R[] {
  const failed = settled.find((s) => s.status === 'failed');
  if (failed?.status === 'failed') throw failed.error;
  return settled.map((s) => {
    if (s.status !== 'ok') throw new Error('a pool task was skipped without a failure');
    return s.value;
  });
}
