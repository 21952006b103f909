import { RateLimiterRes } from 'rate-limiter-flexible';
import { WindowLimiter } from '../../src/http/window-limiter';

/** A limiter on a clock the test moves. */
function limiterAt(points: number, duration: number) {
  let now = 1_000_000;
  const limiter = new WindowLimiter({ points, duration }, () => now);
  return { limiter, advance: (ms: number) => { now += ms; } };
}

const refusal = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a refusal'); }, (res: unknown) => res as RateLimiterRes);

describe('WindowLimiter (the in-memory limits)', () => {
  it('admits `points` per window, then refuses with the time until the window ends', async () => {
    const { limiter, advance } = limiterAt(3, 60);
    const first = await limiter.consume('k');
    expect(first).toMatchObject({ remainingPoints: 2, consumedPoints: 1, isFirstInDuration: true, msBeforeNext: 60_000 });
    await limiter.consume('k');
    advance(10_000);
    expect(await limiter.consume('k')).toMatchObject({ remainingPoints: 0, consumedPoints: 3, isFirstInDuration: false, msBeforeNext: 50_000 });
    const refused = await refusal(limiter.consume('k'));
    expect(refused).toBeInstanceOf(RateLimiterRes);
    expect(refused).toMatchObject({ remainingPoints: 0, consumedPoints: 4, msBeforeNext: 50_000 });
  });

  it('opens a new window for a key once its window has ended, and keeps keys apart', async () => {
    const { limiter, advance } = limiterAt(1, 60);
    await limiter.consume('a');
    await refusal(limiter.consume('a'));
    await limiter.consume('b');
    advance(60_000);
    expect(await limiter.consume('a')).toMatchObject({ consumedPoints: 1, isFirstInDuration: true });
  });

  it('forgets a key unused for two windows: memory does not grow with every key ever seen', async () => {
    const { limiter, advance } = limiterAt(2, 60);
    await limiter.consume('gone');
    await limiter.consume('kept');
    advance(60_000);
    await limiter.consume('kept'); // first turn: 'gone' moves to the older map, still known
    advance(60_000);
    await limiter.consume('other'); // second turn: the older map, with 'gone' in it, is dropped
    expect(await limiter.delete('gone')).toBe(false);
    expect(await limiter.delete('kept')).toBe(true);
  });

  it('forgets a key no earlier than its window ends, however the generations turn', async () => {
    const { limiter, advance } = limiterAt(2, 60);
    advance(59_000);
    await limiter.consume('late'); // opened 1 s before the first rotation
    advance(1_000);
    await limiter.consume('other'); // rotates: 'late' is in the older map now
    advance(58_000);
    expect(await limiter.consume('late')).toMatchObject({ consumedPoints: 2, msBeforeNext: 1_000 });
    await refusal(limiter.consume('late'));
    advance(1_000);
    expect(await limiter.consume('late')).toMatchObject({ consumedPoints: 1, isFirstInDuration: true });
  });

  it('deletes a key on request', async () => {
    const { limiter } = limiterAt(1, 60);
    await limiter.consume('k');
    expect(await limiter.delete('k')).toBe(true);
    expect(await limiter.consume('k')).toMatchObject({ consumedPoints: 1 });
    expect(await limiter.delete('unknown')).toBe(false);
  });
});
