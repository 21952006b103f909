/**
 * StatementBatcher (src/db/statement-batcher.ts): concurrent calls share one statement, an idle
 * caller pays no wait, calls with the same conflict key never share one, and a failed statement
 * fails every call in it. Plain unit tests on a fake statement runner (the network edge).
 */
import { StatementBatcher } from '../../src/db/statement-batcher';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  return { open, opened };
}

describe('StatementBatcher', () => {
  it('sends an idle call at once and groups the calls that arrive while a statement runs', async () => {
    const statements: number[][] = [];
    const first = gate();
    const batcher = new StatementBatcher<number, number>(async (inputs) => {
      statements.push(inputs);
      if (statements.length === 1) await first.opened;
      return inputs.map((n) => n * 10);
    }, 100, 1);
    const answers = [batcher.call(1)];
    expect(statements).toEqual([[1]]);
    answers.push(batcher.call(2), batcher.call(3), batcher.call(4));
    first.open();
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40]);
    expect(statements).toEqual([[1], [2, 3, 4]]);
  });

  it('never puts two calls with the same conflict key into one statement', async () => {
    const statements: string[][] = [];
    const first = gate();
    const batcher = new StatementBatcher<{ key: string; n: number }, string>(async (inputs) => {
      statements.push(inputs.map((i) => `${i.key}${i.n}`));
      if (statements.length === 1) await first.opened;
      return inputs.map((i) => `${i.key}${i.n}`);
    }, 100, 1, (i) => i.key);
    const answers = [batcher.call({ key: 'a', n: 0 })];
    answers.push(batcher.call({ key: 'a', n: 1 }), batcher.call({ key: 'b', n: 1 }), batcher.call({ key: 'a', n: 2 }), batcher.call({ key: 'c', n: 1 }));
    first.open();
    expect(await Promise.all(answers)).toEqual(['a0', 'a1', 'b1', 'a2', 'c1']);
    // Order kept within a key: a1 before a2, each in its own statement.
    expect(statements).toEqual([['a0'], ['a1', 'b1', 'c1'], ['a2']]);
  });

  it('takes at most maxBatch calls per statement', async () => {
    const sizes: number[] = [];
    const first = gate();
    const batcher = new StatementBatcher<number, null>(async (inputs) => {
      sizes.push(inputs.length);
      if (sizes.length === 1) await first.opened;
      return inputs.map(() => null);
    }, 3, 1);
    const answers = Array.from({ length: 8 }, (_, i) => batcher.call(i));
    first.open();
    await Promise.all(answers);
    expect(sizes).toEqual([1, 3, 3, 1]);
  });

  it('fails every call of a failed statement, and only those', async () => {
    const first = gate();
    let statement = 0;
    const batcher = new StatementBatcher<number, number>(async (inputs) => {
      statement += 1;
      if (statement === 1) await first.opened;
      if (statement === 2) throw new Error('statement failed');
      return inputs;
    }, 2, 1);
    const ok = batcher.call(1);
    const failed = [batcher.call(2), batcher.call(3)];
    const later = batcher.call(4);
    first.open();
    await expect(ok).resolves.toBe(1);
    for (const f of failed) await expect(f).rejects.toThrow('statement failed');
    await expect(later).resolves.toBe(4);
  });

  it('with gatherTurn, sends the calls of one event-loop turn together, at the end of the turn', async () => {
    const statements: number[][] = [];
    const first = gate();
    const batcher = new StatementBatcher<number, number>(async (inputs) => {
      statements.push(inputs);
      if (statements.length === 1) await first.opened;
      return inputs.map((n) => -n);
    }, 100, 1, undefined, true);
    // Three calls in one turn (say three requests read in one poll): nothing sent yet, then one statement.
    const answers = [batcher.call(1), batcher.call(2), batcher.call(3)];
    expect(statements).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(statements).toEqual([[1, 2, 3]]);
    // While it runs, later calls wait for it as without gatherTurn, and share the next statement.
    answers.push(batcher.call(4));
    await new Promise((resolve) => setImmediate(resolve));
    answers.push(batcher.call(5));
    first.open();
    expect(await Promise.all(answers)).toEqual([-1, -2, -3, -4, -5]);
    expect(statements).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('with gatherTurn, an idle call is still sent within its turn', async () => {
    const batcher = new StatementBatcher<number, number>(async (inputs) => inputs, 100, 2, undefined, true);
    expect(await batcher.call(7)).toBe(7);
  });
});
