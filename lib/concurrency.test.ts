import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from './concurrency';

describe('ConcurrencyLimit', () => {
  it.each([1, 2, 5])('runs at most %i tasks at once, all of them, in order, failures included', async (max) => {
    const limit = new ConcurrencyLimit(max);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        limit.run(async () => {
          started.push(i);
          peak = Math.max(peak, ++running);
          await new Promise((r) => setTimeout(r, 1 + (i % 3)));
          running--;
          if (i % 4 === 0) throw new Error(`task ${i}`);
          return i;
        }),
      ),
    );
    expect(peak).toBe(max);
    expect(started).toEqual([...Array(20).keys()]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(5);
    expect(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))).toEqual([...Array(20).keys()].filter((i) => i % 4 !== 0));
  });
});
