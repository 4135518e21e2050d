import { describe, expect, it } from 'vitest';
import { LoginRateLimiter, type RateLimitOptions } from './rate-limit';

const options: RateLimitOptions = {
  freeFailures: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 8_000,
  globalFailuresPerMinute: 10,
  forgetAfterMs: 60 * 60_000,
};

function failTimes(limiter: LoginRateLimiter, client: string, n: number, at: number) {
  for (let i = 0; i < n; i++) limiter.recordFailure(client, at);
}

describe('login rate limit', () => {
  it.each([
    { failures: 2, waitMs: 0 },
    { failures: 3, waitMs: 1_000 },
    { failures: 4, waitMs: 2_000 },
    { failures: 5, waitMs: 4_000 },
    { failures: 6, waitMs: 8_000 },
    { failures: 9, waitMs: 8_000 }, // capped
  ])('after $failures failures a client waits $waitMs ms', ({ failures, waitMs }) => {
    const limiter = new LoginRateLimiter(options);
    failTimes(limiter, 'a', failures, 0);
    const now = limiter.check('a', 0);
    expect(now.allowed ? 0 : now.retryAfterMs).toBe(waitMs);
    expect(limiter.check('a', waitMs).allowed).toBe(true);
  });

  it('keeps clients apart, and a success clears the record', () => {
    const limiter = new LoginRateLimiter(options);
    failTimes(limiter, 'a', 4, 0);
    expect(limiter.check('a', 0).allowed).toBe(false);
    expect(limiter.check('b', 0).allowed).toBe(true);
    limiter.recordSuccess('a');
    expect(limiter.check('a', 0).allowed).toBe(true);
  });

  it('caps failures across all clients per minute', () => {
    const limiter = new LoginRateLimiter(options);
    for (let i = 0; i < 10; i++) limiter.recordFailure(`client-${i}`, 1_000);
    const blocked = limiter.check('fresh', 31_000);
    expect(blocked).toEqual({ allowed: false, retryAfterMs: 30_000 });
    expect(limiter.check('fresh', 61_000).allowed).toBe(true);
  });
});
