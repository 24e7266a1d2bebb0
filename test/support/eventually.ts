/** Retries `fn` until it stops throwing (an assertion that holds) or the time is up; then rethrows the last error. */
export async function eventually<T>(
  fn: () => Promise<T>,
  { timeoutMs = 20_000, intervalMs = 200 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() - start > timeoutMs) throw err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Fails (so that `eventually` retries) while the value is still missing. */
export function present<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`${what} not there yet`);
  return value;
}
