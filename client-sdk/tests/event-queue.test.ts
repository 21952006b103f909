import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DurableEventQueue } from '../src/telemetry/event-queue';
import type { TelemetryEvent } from '../src/telemetry/events';

let directory: string;
let clock: Date;
const now = () => clock;
const feature = (name: string, at = clock): TelemetryEvent => ({ type: 'feature', name, at: at.toISOString() });

beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'nomina-queue-'));
  clock = new Date('2026-03-01T10:00:00Z');
});
afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

describe('DurableEventQueue', () => {
  it('seals a batch of at most 100 events with a uuid batchId in its file name', () => {
    const queue = new DurableEventQueue({ directory, now });
    for (let i = 0; i < 250; i++) queue.append(feature(`f${i}`));
    expect(queue.stats()).toMatchObject({ sealedBatches: 2, openEvents: 50 });
    const first = queue.oldestBatch()!;
    expect(first.batchId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(queue.readBatch(first).map((event) => event.name)).toEqual(Array.from({ length: 100 }, (_, i) => `f${i}`));
  });

  it('keeps each batch and its batchId across restarts until it is removed', () => {
    const queue = new DurableEventQueue({ directory, now });
    for (let i = 0; i < 100; i++) queue.append(feature(`f${i}`));
    const { batchId } = queue.oldestBatch()!;
    const reopened = new DurableEventQueue({ directory, now });
    expect(reopened.oldestBatch()!.batchId).toBe(batchId);
    reopened.remove(reopened.oldestBatch()!);
    expect(new DurableEventQueue({ directory, now }).oldestBatch()).toBeUndefined();
  });

  it('recovers the open segment of a process that was killed, skipping a torn last line', () => {
    const lines = [feature('a'), feature('b')].map((event) => JSON.stringify(event)).join('\n');
    fs.writeFileSync(path.join(directory, `open-${deadPid()}-abcdef.jsonl`), `${lines}\n{"type":"feat`);
    const queue = new DurableEventQueue({ directory, now });
    const batch = queue.oldestBatch()!;
    expect(queue.readBatch(batch).map((event) => event.name)).toEqual(['a', 'b']);
    expect(fs.readdirSync(directory).filter((file) => file.startsWith('open-'))).toEqual([]);
  });

  it('leaves alone the open segment of another live process', () => {
    fs.writeFileSync(path.join(directory, `open-${process.ppid}-abcdef.jsonl`), `${JSON.stringify(feature('a'))}\n`);
    expect(new DurableEventQueue({ directory, now }).oldestBatch()).toBeUndefined();
  });

  it('drops the oldest batches first when over its size bound', () => {
    const queue = new DurableEventQueue({ directory, now, maxBatchEvents: 10, maxQueueBytes: 3000 });
    for (let i = 0; i < 100; i++) {
      queue.append(feature(`event-${String(i).padStart(3, '0')}`));
      clock = new Date(clock.getTime() + 1);
    }
    const stats = queue.stats();
    expect(stats.queuedBytes).toBeLessThanOrEqual(3000);
    expect(stats.droppedBatches).toBeGreaterThan(0);
    expect(queue.readBatch(queue.oldestBatch()!)[0]!.name).toBe(`event-${String(stats.droppedBatches * 10).padStart(3, '0')}`);
  });

  it('drops events older than 30 days, and whole batches sealed before that', () => {
    const queue = new DurableEventQueue({ directory, now });
    queue.append(feature('ancient'));
    queue.seal();
    clock = new Date(clock.getTime() + 20 * 86_400_000);
    queue.append(feature('old', new Date(clock.getTime() - 31 * 86_400_000)));
    queue.append(feature('recent'));
    queue.seal();
    clock = new Date(clock.getTime() + 11 * 86_400_000);
    const batch = queue.oldestBatch()!;
    expect(queue.stats().sealedBatches).toBe(1);
    expect(queue.readBatch(batch).map((event) => event.name)).toEqual(['recent']);
  });

  it('seals an idle segment after a while so events do not wait for 100 more', () => {
    const queue = new DurableEventQueue({ directory, now });
    queue.append(feature('lonely'));
    queue.sealIfOlderThan(5000);
    expect(queue.oldestBatch()).toBeUndefined();
    clock = new Date(clock.getTime() + 5000);
    queue.sealIfOlderThan(5000);
    expect(queue.oldestBatch()).toBeDefined();
  });

  it('clear() deletes everything queued', () => {
    const queue = new DurableEventQueue({ directory, now });
    for (let i = 0; i < 150; i++) queue.append(feature(`f${i}`));
    queue.clear();
    expect(fs.readdirSync(directory)).toEqual([]);
    expect(new DurableEventQueue({ directory, now }).oldestBatch()).toBeUndefined();
  });
});
