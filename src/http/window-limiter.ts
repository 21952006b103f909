/**
 * The in-memory rate limiter of a single instance (no Redis): the same fixed windows as
 * rate-limiter-flexible's RateLimiterMemory — a key's window opens at its first point and lasts
 * `duration` seconds; points past the limit are refused, and still counted, until it ends — and
 * the same RateLimiterRes answers, without a timer per key. RateLimiterMemory arms a setTimeout
 * for every new key to forget it; at one new key per validation that timer list was most of the
 * limiter's cost. Here keys are forgotten by generations: every `duration` the older of two maps
 * is dropped whole. A window is at most `duration` long and lives in a map for at least that
 * long, so nothing is forgotten before its window has ended.
 */
import { RateLimiterRes } from 'rate-limiter-flexible';

interface Window { points: number; endsAt: number }

export class WindowLimiter {
  private current = new Map<string, Window>();
  private previous = new Map<string, Window>();
  private rotatedAt: number;
  private readonly durationMs: number;

  constructor(private readonly options: { points: number; duration: number }, private readonly clock: () => number = Date.now) {
    this.durationMs = options.duration * 1000;
    this.rotatedAt = clock();
  }

  /** Resolves with what is left, or rejects with a RateLimiterRes when the key is over its limit (as RateLimiterMemory). */
  consume(key: string, points = 1): Promise<RateLimiterRes> {
    const now = this.clock();
    if (now - this.rotatedAt >= this.durationMs) {
      this.previous = this.current;
      this.current = new Map();
      this.rotatedAt = now;
    }
    let window = this.current.get(key) ?? this.previous.get(key);
    let first = false;
    if (window && window.endsAt > now) {
      window.points += points;
    } else {
      window = { points, endsAt: now + this.durationMs };
      this.previous.delete(key);
      this.current.set(key, window);
      first = true;
    }
    const res = new RateLimiterRes(Math.max(this.options.points - window.points, 0), window.endsAt - now, window.points, first);
    return window.points > this.options.points ? Promise.reject(res) : Promise.resolve(res);
  }

  /** Forgets `key`; true when it was known. */
  delete(key: string): Promise<boolean> {
    const known = this.current.delete(key);
    return Promise.resolve(this.previous.delete(key) || known);
  }
}
