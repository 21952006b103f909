/**
 * Rate limits: per process by default, shared by every instance through Redis when REDIS_URL is set.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { AppError } from '../../src/http/problem';
import { RateLimits } from '../../src/http/rate-limit';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function outcome(promise: Promise<void>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof AppError ? `${error.status} retry-after=${error.options.headers?.['Retry-After']}` : String(error);
  }
}

describe('rate limits', () => {
  const spec = { points: 3, durationSeconds: 60 };

  it('allow the budget and then answer 429 with Retry-After (in memory)', async () => {
    const limits = new RateLimits();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await outcome(limits.consume('test', spec, 'client-a')));
    expect(results).toEqual(['ok', 'ok', 'ok', '429 retry-after=60']);
    expect(await outcome(limits.consume('test', spec, 'client-b'))).toBe('ok');
  });

  it('are shared between instances through Redis', async () => {
    const first = new Redis(REDIS_URL);
    const second = new Redis(REDIS_URL);
    try {
      const key = randomUUID();
      const a = new RateLimits(first);
      const b = new RateLimits(second);
      expect(await outcome(a.consume('shared', spec, key))).toBe('ok');
      expect(await outcome(b.consume('shared', spec, key))).toBe('ok');
      expect(await outcome(a.consume('shared', spec, key))).toBe('ok');
      expect(await outcome(b.consume('shared', spec, key))).toMatch(/^429/);
      await b.reset('shared', spec, key);
      expect(await outcome(a.consume('shared', spec, key))).toBe('ok');
    } finally {
      first.disconnect();
      second.disconnect();
    }
  });
});
