/**
 * Rate limits shared by all instances when REDIS_URL is set (one Redis), per process otherwise.
 * A limit hit is a 429 problem with Retry-After and the draft RateLimit headers.
 *
 * Redis is an optimisation, not a dependency desktop apps may wait on: when it cannot be reached,
 * each limiter falls back to this instance's memory (rate-limiter-flexible's insurance limiter),
 * with a warning, a counter, and `/readyz` saying that limits are per instance until it is back.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type Redis from 'ioredis';
import type { Logger } from '../logger';
import type { Metrics } from './metrics';
import { AppError } from './problem';
import { WindowLimiter } from './window-limiter';

/** What RateLimits uses of a limiter: rate-limiter-flexible's (Redis) or WindowLimiter (memory). */
interface Limiter {
  consume(key: string, points?: number): Promise<RateLimiterRes>;
  delete(key: string): Promise<boolean>;
}

export interface LimitSpec { points: number; durationSeconds: number }

export type RateLimitMode = 'memory' | 'shared' | 'per-instance fallback (redis unreachable)';

export class RateLimits {
  private readonly limiters = new Map<string, Limiter>();
  private redisReachable = true;

  constructor(private readonly redis?: Redis, private readonly observe?: { logger: Logger; metrics: Metrics }) {
    if (!redis) return;
    const up = observe?.metrics.gauge('nomina_dependency_up', 'Whether an optional dependency answers (1) or not (0)', ['dependency']);
    up?.set({ dependency: 'redis' }, 1);
    redis.on('ready', () => { this.redisReachable = true; up?.set({ dependency: 'redis' }, 1); });
    redis.on('end', () => this.markUnreachable());
    redis.on('error', () => this.markUnreachable());
  }

  /** How limits are counted right now (shown by /readyz). */
  get mode(): RateLimitMode {
    if (!this.redis) return 'memory';
    return this.redisReachable && this.redis.status === 'ready' ? 'shared' : 'per-instance fallback (redis unreachable)';
  }

  /** Consumes one point of `name` for `key`; throws a 429 AppError when exhausted. */
  async consume(name: string, spec: LimitSpec, key: string, points = 1): Promise<void> {
    const limiter = this.limiter(name, spec);
    try {
      await limiter.consume(key, points);
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) throw result;
      const retryAfter = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      throw new AppError('RATE_LIMITED', `retry in ${retryAfter} s`, {
        headers: {
          'Retry-After': String(retryAfter),
          // IETF draft-ietf-httpapi-ratelimit-headers, for clients that back off by policy.
          RateLimit: `limit=${spec.points}, remaining=0, reset=${retryAfter}`,
          'RateLimit-Policy': `${spec.points};w=${spec.durationSeconds}`,
        },
      });
    }
  }

  /**
   * Like `consume`, and says what is left: every answer to an API key carries the same draft
   * `RateLimit` / `RateLimit-Policy` headers as a 429, so a system can slow down before it is refused.
   */
  async take(name: string, spec: LimitSpec, key: string): Promise<Record<string, string>> {
    const headers = (remaining: number, msBeforeNext: number) => ({
      RateLimit: `limit=${spec.points}, remaining=${Math.max(0, remaining)}, reset=${Math.max(0, Math.ceil(msBeforeNext / 1000))}`,
      'RateLimit-Policy': `${spec.points};w=${spec.durationSeconds}`,
    });
    try {
      const result = await this.limiter(name, spec).consume(key, 1);
      return headers(result.remainingPoints, result.msBeforeNext);
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) throw result;
      const retryAfter = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      throw new AppError('RATE_LIMITED', `this API key allows ${spec.points} requests per ${spec.durationSeconds} s; retry in ${retryAfter} s`, {
        headers: { ...headers(0, result.msBeforeNext), 'Retry-After': String(retryAfter) },
      });
    }
  }

  /** Consumes one point like `consume`, but answers false instead of throwing when exhausted. */
  async tryConsume(name: string, spec: LimitSpec, key: string): Promise<boolean> {
    try {
      await this.limiter(name, spec).consume(key, 1);
      return true;
    } catch (result) {
      if (result instanceof RateLimiterRes) return false;
      throw result;
    }
  }

  /** Forgets `key` for `name` (e.g. after a successful login). */
  async reset(name: string, spec: LimitSpec, key: string): Promise<void> {
    await this.limiter(name, spec).delete(key).catch(() => {
      // Without Redis there is nothing shared to forget; the fallback's own count expires by itself.
    });
  }

  private markUnreachable(): void {
    if (this.redisReachable) this.observe?.logger.warn('redis unreachable: rate limits fall back to per-instance memory until it is back');
    this.redisReachable = false;
    this.observe?.metrics.gauge('nomina_dependency_up', 'Whether an optional dependency answers (1) or not (0)', ['dependency']).set({ dependency: 'redis' }, 0);
  }

  private limiter(name: string, spec: LimitSpec): Limiter {
    const id = `${name}:${spec.points}:${spec.durationSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const options = { keyPrefix: `nomina:${name}`, points: spec.points, duration: spec.durationSeconds };
      limiter = this.redis
        ? new RateLimiterRedis({ ...options, storeClient: this.redis, insuranceLimiter: this.fallback(name, options) })
        : new WindowLimiter(options);
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  /** The per-instance limiter used while Redis is unreachable; every use is counted. */
  private fallback(name: string, options: { keyPrefix: string; points: number; duration: number }): RateLimiterMemory {
    const memory = new RateLimiterMemory(options);
    const counter = this.observe?.metrics.counter('nomina_rate_limit_fallback_total', 'Rate-limit decisions taken in memory because Redis was unreachable', ['limit']);
    const consume = memory.consume.bind(memory);
    memory.consume = (key, points, opts) => {
      this.markUnreachable();
      counter?.inc({ limit: name });
      return consume(key, points, opts);
    };
    return memory;
  }
}
