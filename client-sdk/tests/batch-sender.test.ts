import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BatchSender } from '../src/telemetry/batch-sender';
import { DurableEventQueue } from '../src/telemetry/event-queue';
import type { TelemetryLevel } from '../src/telemetry/levels';

let directory: string;
let clock: Date;
const now = () => clock;

interface Exchange { batchId: string; events: Array<{ type: string; name: string }>; authorization: string | null }

function harness(responses: Array<number | Response | 'network'>, options: { level?: TelemetryLevel; token?: string | null } = {}) {
  const queue = new DurableEventQueue({ directory, now });
  const sent: Exchange[] = [];
  let token = options.token === undefined ? 'token-1' : options.token;
  const sender = new BatchSender({
    queue, serverUrl: 'https://licences.example/', now, random: () => 0.5, level: () => options.level ?? 'all', token: () => token,
    fetch: async (_url, init) => {
      const body = JSON.parse(String(init!.body));
      sent.push({ ...body, authorization: new Headers(init!.headers).get('authorization') });
      const next = responses.shift() ?? 202;
      if (next === 'network') throw new TypeError('fetch failed');
      return next instanceof Response ? next : new Response(null, { status: next });
    },
  });
  const enqueue = (count: number, type: 'feature' | 'error' = 'feature') => {
    for (let i = 0; i < count; i++) queue.append({ type, name: `e${i}`, at: clock.toISOString() });
    queue.seal();
  };
  return { queue, sender, sent, enqueue, setToken: (value: string | null) => (token = value) };
}

beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'nomina-sender-'));
  clock = new Date('2026-03-01T10:00:00Z');
});
afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

describe('BatchSender', () => {
  it('posts batches oldest first with the licence token and deletes each one the server accepts (202)', async () => {
    const { sender, sent, enqueue, queue } = harness([202, 202]);
    enqueue(100);
    enqueue(3);
    expect(await sender.sendDue()).toBe('DRAINED');
    expect(sent.map((s) => s.events.length)).toEqual([100, 3]);
    expect(sent[0]!.authorization).toBe('Bearer token-1');
    expect(queue.oldestBatch()).toBeUndefined();
  });

  it('retries a 5xx or a network error later with the same batchId, after exponential backoff', async () => {
    const { sender, sent, enqueue, queue } = harness([503, 'network', 202]);
    enqueue(5);
    expect(await sender.sendDue()).toBe('RETRY_LATER');
    const firstDelay = sender.nextAttemptAt() - clock.getTime();
    expect(await sender.sendDue()).toBe('RETRY_LATER'); // not due yet: nothing sent
    expect(sent).toHaveLength(1);
    clock = new Date(sender.nextAttemptAt());
    expect(await sender.sendDue()).toBe('RETRY_LATER');
    expect(sender.nextAttemptAt() - clock.getTime()).toBeGreaterThan(firstDelay);
    clock = new Date(sender.nextAttemptAt());
    expect(await sender.sendDue()).toBe('DRAINED');
    expect(new Set(sent.map((s) => s.batchId)).size).toBe(1);
    expect(queue.oldestBatch()).toBeUndefined();
  });

  it('honours Retry-After on 429', async () => {
    const { sender, enqueue } = harness([new Response(null, { status: 429, headers: { 'retry-after': '120' } }), 202]);
    enqueue(1);
    expect(await sender.sendDue()).toBe('RETRY_LATER');
    expect(sender.nextAttemptAt()).toBe(clock.getTime() + 120_000);
  });

  it('drops a batch the server refuses with a 4xx and carries on with the next', async () => {
    const { sender, enqueue, sent, queue } = harness([400, 202]);
    enqueue(1);
    enqueue(2);
    expect(await sender.sendDue()).toBe('DRAINED');
    expect(sender.droppedBatches).toBe(1);
    expect(sent).toHaveLength(2);
    expect(queue.oldestBatch()).toBeUndefined();
  });

  it('keeps the batch on 401 and waits for a fresh token instead of dropping events', async () => {
    const { sender, enqueue, sent, setToken } = harness([401, 202]);
    enqueue(1);
    expect(await sender.sendDue()).toBe('PAUSED');
    expect(await sender.sendDue()).toBe('PAUSED');
    expect(sent).toHaveLength(1);
    setToken('token-2');
    expect(await sender.sendDue()).toBe('DRAINED');
    expect(sent[1]!.authorization).toBe('Bearer token-2');
  });

  it('sends nothing without a token', async () => {
    const { sender, enqueue, sent } = harness([], { token: null });
    enqueue(1);
    expect(await sender.sendDue()).toBe('PAUSED');
    expect(sent).toHaveLength(0);
  });

  it('sends only error events when the level is "errors"', async () => {
    const { sender, enqueue, sent, queue } = harness([202], { level: 'errors' });
    queue.append({ type: 'feature', name: 'f', at: clock.toISOString() });
    queue.append({ type: 'error', name: 'TypeError', at: clock.toISOString() });
    queue.seal();
    enqueue(3); // features only: removed without a request
    expect(await sender.sendDue()).toBe('DRAINED');
    expect(sent.map((s) => s.events.map((e) => e.type))).toEqual([['error']]);
  });

  it('never posts the same batch twice at once', async () => {
    const { sender, enqueue, sent } = harness([202]);
    enqueue(1);
    await Promise.all([sender.sendDue(), sender.sendDue(), sender.sendDue()]);
    expect(sent).toHaveLength(1);
  });
});
