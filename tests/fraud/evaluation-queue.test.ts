/**
 * The fraud evaluation queue (src/fraud/fraud-runtime.ts) is bounded by construction: work per
 * licence is coalesced and rate-limited, concurrency is capped, and beyond its bound a newcomer
 * is shed — counted in a metric and logged without personal data.
 */
import { Writable } from 'node:stream';
import { configureFraudRuntime, drainFraudEvaluations, errorCodeOf, EvaluationQueue, type QueueEvents } from '../../src/fraud/fraud-runtime';
import { createLogger } from '../../src/logger';
import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';

const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recorder() {
  const events = { failed: [] as string[], shed: 0, coalesced: 0 };
  const hooks: QueueEvents = { failed: (id) => events.failed.push(id), shed: () => { events.shed += 1; }, coalesced: () => { events.coalesced += 1; } };
  return { events, hooks };
}

/** An evaluation that records its batch and finishes when told to. */
function gated() {
  const runs: { licence: string; items: number[]; at: number }[] = [];
  const gates: (() => void)[] = [];
  const evaluate = (licence: string) => (items: number[]) => {
    runs.push({ licence, items: [...items], at: Date.now() });
    return new Promise<void>((resolve) => gates.push(resolve));
  };
  const openAll = () => { for (const open of gates.splice(0)) open(); };
  return { runs, evaluate, openAll };
}

describe('EvaluationQueue', () => {
  it('coalesces what a licence receives while it waits or runs, and evaluates it at most once per interval', async () => {
    const { events, hooks } = recorder();
    const queue = new EvaluationQueue<number>({ intervalMs: 1000, concurrency: 2, maxWaiting: 100, maxItems: 5 }, hooks);
    const g = gated();
    queue.enqueue('A', 1, g.evaluate('A'));
    await tick();
    for (let i = 2; i <= 9; i++) queue.enqueue('A', i, g.evaluate('A'));
    g.openAll();
    await sleep(100);
    expect(g.runs).toHaveLength(1); // the interval holds the second evaluation back
    for (const until = Date.now() + 5000; g.runs.length < 2 && Date.now() < until;) await sleep(20);
    g.openAll();
    expect(g.runs.map((r) => r.items)).toEqual([[1], [5, 6, 7, 8, 9]]); // the latest five kept
    expect(g.runs[1].at - g.runs[0].at).toBeGreaterThanOrEqual(990);
    expect(events.coalesced).toBe(7);
    await queue.drained();
    expect(queue.backlog).toBe(0);
  });

  it('runs at most `concurrency` evaluations at once, oldest licence first', async () => {
    const { hooks } = recorder();
    const queue = new EvaluationQueue<number>({ intervalMs: 1000, concurrency: 2, maxWaiting: 100, maxItems: 5 }, hooks);
    const g = gated();
    for (const id of ['A', 'B', 'C', 'D']) queue.enqueue(id, 1, g.evaluate(id));
    await tick();
    expect(g.runs.map((r) => r.licence)).toEqual(['A', 'B']);
    expect(queue.backlog).toBe(2);
    g.openAll();
    await tick(); await tick();
    expect(g.runs.map((r) => r.licence)).toEqual(['A', 'B', 'C', 'D']);
    g.openAll();
    await queue.drained();
  });

  it('sheds a new licence when the backlog is at its bound, counts it, and still coalesces licences already waiting', async () => {
    const { events, hooks } = recorder();
    const queue = new EvaluationQueue<number>({ intervalMs: 1000, concurrency: 1, maxWaiting: 2, maxItems: 5 }, hooks);
    const g = gated();
    expect(queue.enqueue('A', 1, g.evaluate('A'))).toBe('queued');
    await tick(); // A runs
    expect(queue.enqueue('B', 1, g.evaluate('B'))).toBe('queued');
    expect(queue.enqueue('C', 1, g.evaluate('C'))).toBe('queued');
    expect(queue.enqueue('D', 1, g.evaluate('D'))).toBe('shed');
    expect(queue.enqueue('E', 1, g.evaluate('E'))).toBe('shed');
    expect(queue.enqueue('B', 2, g.evaluate('B'))).toBe('coalesced');
    expect(events.shed).toBe(2);
    expect(queue.backlog).toBe(2);
    expect(queue.oldestAgeSeconds()).toBeGreaterThanOrEqual(0);
    let finished = false;
    const done = queue.drained().then(() => { finished = true; });
    for (let i = 0; i < 100 && !finished; i++) { g.openAll(); await tick(); }
    await done;
    expect(g.runs.map((r) => `${r.licence}:${r.items.join(',')}`)).toEqual(['A:1', 'B:1,2', 'C:1']);
  });

  it('drained() evaluates at once what waits for its interval', async () => {
    const { hooks } = recorder();
    const queue = new EvaluationQueue<number>({ intervalMs: 60_000, concurrency: 2, maxWaiting: 100, maxItems: 5 }, hooks);
    const batches: number[][] = [];
    const evaluate = async (items: number[]) => { batches.push([...items]); };
    queue.enqueue('A', 1, evaluate);
    await queue.drained();
    queue.enqueue('A', 2, evaluate);
    queue.enqueue('A', 3, evaluate);
    const started = Date.now();
    await queue.drained();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('reports a failed evaluation with its licence and goes on with the others', async () => {
    const { events, hooks } = recorder();
    const queue = new EvaluationQueue<number>({ intervalMs: 10, concurrency: 1, maxWaiting: 100, maxItems: 5 }, hooks);
    const ok: string[] = [];
    queue.enqueue('A', 1, async () => { throw Object.assign(new Error('boom'), { code: 'P2028' }); });
    queue.enqueue('B', 1, async () => { ok.push('B'); });
    await queue.drained();
    expect(events.failed).toEqual(['A']);
    expect(ok).toEqual(['B']);
  });
});

describe('shedding in the service', () => {
  let h: Harness;
  beforeAll(async () => { h = await createHarness(); });
  afterAll(() => h.close());

  it('counts each shed validation in nomina_fraud_evaluations_shed_total and logs the decision without personal data', async () => {
    configureFraudRuntime(h.services, { maxWaiting: 0 });
    const built = await buildLicence(h, { policy: { maxMachines: 1 } });
    for (let i = 0; i < 3; i++) await validate(h, validateBody(built.key, built.product.code, aDevice({ pcName: `PC-SHED-${i}` }))).expect(200);
    await drainFraudEvaluations(h.services);
    const metrics = await h.services.metrics.registry.metrics();
    expect(metrics).toMatch(/^nomina_fraud_evaluations_shed_total 3$/m);
    expect(metrics).toMatch(/^nomina_fraud_evaluation_backlog 0$/m);
    expect(metrics).toMatch(/^nomina_fraud_evaluation_backlog_oldest_seconds 0$/m);
    // Shed, not evaluated: no observation, no alert — and one log line with counts only.
    expect(await h.services.prisma.fraudObservation.count({ where: { licenceId: built.licence.id } })).toBe(0);
    const lines = h.logs.filter((l) => l.includes('fraud evaluations shed'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 40, shed: 1, bound: 0 });
    expect(lines[0]).not.toContain(built.licence.id);
    expect(lines[0]).not.toContain(built.key);
    expect(lines[0]).not.toContain('PC-SHED');
  });
});

describe('the log line of a failed evaluation', () => {
  it('keeps the error name, Prisma code and SQLSTATE readable (the logger redacts fields named `code`), never its message', () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } }));
    const error = Object.assign(new Error('Raw query failed: invalid input "jan.jansen@example.com"'), {
      name: 'PrismaClientKnownRequestError', code: 'P2010', meta: { driverAdapterError: { cause: { originalCode: '22P02' } } },
    });
    logger.warn({ ...errorCodeOf(error), licenceId: 'l-1' }, 'fraud evaluation failed');
    expect(JSON.parse(lines[0])).toMatchObject({ err: 'PrismaClientKnownRequestError', errorCode: 'P2010', sqlState: '22P02', licenceId: 'l-1' });
    expect(lines[0]).not.toContain('[redacted]');
    expect(lines[0]).not.toContain('jansen');
  });
});
