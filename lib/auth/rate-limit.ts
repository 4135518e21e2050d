/**
 * Login limiter, kept in memory and keyed on the connection's address (see lib/domain/network/client-address.ts).
 * Every attempt counts as a failure the moment it is let through — before the password hash
 * runs — so a burst of concurrent guesses cannot slip past the count; a success takes it back.
 * Per client: a few free attempts, then an exponentially growing wait. Overall: past a cap of
 * failures per minute, only clients with no failure on record get through, so many guessing
 * clients slow each other down but never lock out someone who has not failed.
 */
export interface RateLimitOptions {
  freeFailures: number; // per client before waits begin
  baseDelayMs: number; // first wait, doubled for each further failure
  maxDelayMs: number;
  globalFailuresPerMinute: number;
  forgetAfterMs: number; // a client's record is dropped after this much quiet
  maxClients: number; // records kept at most: memory stays bounded whatever the number of addresses
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  globalFailuresPerMinute: 60,
  forgetAfterMs: 60 * 60_000,
  maxClients: 10_000,
};

interface ClientRecord {
  failures: number;
  blockedUntil: number;
  lastFailure: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

const MINUTE = 60_000;

export class LoginRateLimiter {
  private readonly clients = new Map<string, ClientRecord>(); // oldest failure first
  private recentFailures: number[] = []; // at most globalFailuresPerMinute of the last minute's
  private readonly options: RateLimitOptions;

  constructor(options: RateLimitOptions = DEFAULT_RATE_LIMIT) {
    this.options = options;
  }

  /** Lets an attempt through and counts it as a failure, or says how long the client must wait. */
  attempt(client: string, now = Date.now()): RateDecision {
    this.forgetQuietClients(now);
    this.recentFailures = this.recentFailures.filter((t) => now - t < MINUTE);
    const rec = this.clients.get(client);
    if (rec && rec.blockedUntil > now) return { allowed: false, retryAfterMs: rec.blockedUntil - now };
    if (rec && this.recentFailures.length >= this.options.globalFailuresPerMinute) {
      return { allowed: false, retryAfterMs: MINUTE - (now - this.recentFailures[0]!) };
    }
    this.countFailure(client, rec, now);
    return { allowed: true };
  }

  /** The attempt let through was the right password: its count and the client's record go. */
  succeeded(client: string): void {
    this.clients.delete(client);
    this.recentFailures.pop();
  }

  /** How many clients are on record (for tests and metrics). */
  get size(): number {
    return this.clients.size;
  }

  private countFailure(client: string, rec: ClientRecord | undefined, now: number): void {
    this.recentFailures.push(now);
    if (this.recentFailures.length > this.options.globalFailuresPerMinute) this.recentFailures.shift();
    const next = rec ?? { failures: 0, blockedUntil: 0, lastFailure: now };
    next.failures += 1;
    next.lastFailure = now;
    const over = next.failures - this.options.freeFailures;
    if (over >= 0) next.blockedUntil = now + Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** over);
    this.clients.delete(client); // re-inserted last: the map stays in order of last failure
    this.clients.set(client, next);
    while (this.clients.size > this.options.maxClients) this.clients.delete(this.clients.keys().next().value!);
  }

  private forgetQuietClients(now: number): void {
    for (const [key, rec] of this.clients) {
      if (now - rec.lastFailure <= this.options.forgetAfterMs) break; // the rest failed later
      if (rec.blockedUntil <= now) this.clients.delete(key);
    }
  }
}
