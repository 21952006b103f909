/**
 * Rate limits shared by all instances when REDIS_URL is set (one Redis), per process otherwise.
 * A limit hit is a 429 problem with Retry-After.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type Redis from 'ioredis';
import { AppError } from './problem';

export interface LimitSpec { points: number; durationSeconds: number }

export class RateLimits {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(private readonly redis?: Redis) {}

  /** Consumes one point of `name` for `key`; throws a 429 AppError when exhausted. */
  async consume(name: string, spec: LimitSpec, key: string, points = 1): Promise<void> {
    const limiter = this.limiter(name, spec);
    try {
      await limiter.consume(key, points);
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) throw result;
      const retryAfter = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      throw new AppError('RATE_LIMITED', `retry in ${retryAfter} s`, { headers: { 'Retry-After': String(retryAfter) } });
    }
  }

  /** Forgets `key` for `name` (e.g. after a successful login). */
  async reset(name: string, spec: LimitSpec, key: string): Promise<void> {
    await this.limiter(name, spec).delete(key);
  }

  private limiter(name: string, spec: LimitSpec): RateLimiterAbstract {
    const id = `${name}:${spec.points}:${spec.durationSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const options = { keyPrefix: `nomina:${name}`, points: spec.points, duration: spec.durationSeconds };
      limiter = this.redis ? new RateLimiterRedis({ ...options, storeClient: this.redis }) : new RateLimiterMemory(options);
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}
