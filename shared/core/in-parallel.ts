/**
 * Runs `fn` on every value with at most `limit` calls in flight: each worker takes the next value
 * as soon as its last call settles, so one slow call holds up no other. The first failure rejects.
 */
export async function inParallel<T>(
  values: Iterable<T>,
  limit: number,
  fn: (value: T) => Promise<void>,
): Promise<void> {
  const queue = [...values];
  let next = 0;
  const worker = async () => {
    while (next < queue.length) await fn(queue[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker));
}
