import { describe, expect, it } from 'vitest';
import { LoginRateLimiter, type RateLimitOptions } from './rate-limit';

const options: RateLimitOptions = {
  freeFailures: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 8_000,
  globalFailuresPerMinute: 10,
  forgetAfterMs: 60 * 60_000,
  maxClients: 100,
};

function failTimes(limiter: LoginRateLimiter, client: string, n: number, at: number) {
  for (let i = 0; i < n; i++) expect(limiter.attempt(client, at).allowed).toBe(true);
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
    const limiter = new LoginRateLimiter({ ...options, globalFailuresPerMinute: 100 });
    let at = 0;
    for (let i = 0; i < failures; i++) {
      const d = limiter.attempt('a', at);
      if (!d.allowed) at += d.retryAfterMs;
      if (!d.allowed) expect(limiter.attempt('a', at).allowed).toBe(true);
    }
    const now = limiter.attempt('a', at);
    expect(now.allowed ? 0 : now.retryAfterMs).toBe(waitMs);
  });

  it('counts an attempt when it is let through, before its password is checked: a concurrent burst gets the free attempts only', () => {
    const limiter = new LoginRateLimiter(options);
    const decisions = Array.from({ length: 400 }, () => limiter.attempt('a', 0));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(options.freeFailures);
  });

  it('keeps clients apart, and a success takes its attempt back and clears the record', () => {
    const limiter = new LoginRateLimiter(options);
    failTimes(limiter, 'a', 3, 0);
    expect(limiter.attempt('a', 0).allowed).toBe(false);
    expect(limiter.attempt('b', 0).allowed).toBe(true);
    limiter.succeeded('b');
    expect(limiter.size).toBe(1);
    expect(limiter.attempt('a', 1_000).allowed).toBe(true);
    limiter.succeeded('a');
    expect(limiter.size).toBe(0);
    expect(limiter.attempt('a', 1_000).allowed).toBe(true);
  });

  it('past the overall cap, clients with failures wait and a client with none still gets through', () => {
    const limiter = new LoginRateLimiter(options);
    for (let i = 0; i < 10; i++) limiter.attempt(`client-${i}`, 1_000);
    expect(limiter.attempt('client-0', 31_000)).toEqual({ allowed: false, retryAfterMs: 30_000 });
    expect(limiter.attempt('fresh', 31_000).allowed).toBe(true);
    expect(limiter.attempt('client-0', 61_000).allowed).toBe(true);
  });

  it('keeps at most maxClients records, however many addresses try', () => {
    const limiter = new LoginRateLimiter(options);
    for (let i = 0; i < 10_000; i++) limiter.attempt(`10.0.${i >> 8}.${i & 255}`, i);
    expect(limiter.size).toBe(options.maxClients);
  });

  it('forgets a quiet client', () => {
    const limiter = new LoginRateLimiter(options);
    failTimes(limiter, 'a', 3, 0);
    limiter.attempt('b', options.forgetAfterMs + 10_000);
    expect(limiter.size).toBe(1);
  });
});
