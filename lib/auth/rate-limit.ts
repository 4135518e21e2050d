/**
 * Failed-login limiter, kept in memory: per client, a few free failures, then an
 * exponentially growing wait; overall, a cap on failures per minute so that many
 * clients (or forged client keys) cannot guess in parallel.
 */
export interface RateLimitOptions {
  freeFailures: number; // per client before waits begin
  baseDelayMs: number; // first wait, doubled for each further failure
  maxDelayMs: number;
  globalFailuresPerMinute: number;
  forgetAfterMs: number; // a client's record is dropped after this much quiet
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  globalFailuresPerMinute: 60,
  forgetAfterMs: 60 * 60_000,
};

interface ClientRecord {
  failures: number;
  blockedUntil: number;
  lastFailure: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export class LoginRateLimiter {
  private readonly clients = new Map<string, ClientRecord>();
  private globalFailures: number[] = [];

  private readonly options: RateLimitOptions;

  constructor(options: RateLimitOptions = DEFAULT_RATE_LIMIT) {
    this.options = options;
  }

  check(client: string, now = Date.now()): RateDecision {
    this.globalFailures = this.globalFailures.filter((t) => now - t < 60_000);
    if (this.globalFailures.length >= this.options.globalFailuresPerMinute) {
      const oldest = this.globalFailures[0] ?? now;
      return { allowed: false, retryAfterMs: 60_000 - (now - oldest) };
    }
    const rec = this.clients.get(client);
    if (rec && rec.blockedUntil > now) return { allowed: false, retryAfterMs: rec.blockedUntil - now };
    return { allowed: true };
  }

  recordFailure(client: string, now = Date.now()): void {
    this.forgetQuietClients(now);
    this.globalFailures.push(now);
    const rec = this.clients.get(client) ?? { failures: 0, blockedUntil: 0, lastFailure: now };
    rec.failures += 1;
    rec.lastFailure = now;
    const over = rec.failures - this.options.freeFailures;
    if (over >= 0) {
      rec.blockedUntil = now + Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** over);
    }
    this.clients.set(client, rec);
  }

  recordSuccess(client: string): void {
    this.clients.delete(client);
  }

  private forgetQuietClients(now: number): void {
    for (const [key, rec] of this.clients) {
      if (now - rec.lastFailure > this.options.forgetAfterMs && rec.blockedUntil <= now) this.clients.delete(key);
    }
  }
}
