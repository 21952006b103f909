import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDirectory, fsyncDirectory, removeFile, renameWithRetry } from '../storage.js';
import {
  compareBatches, isAbandonedSegment, listQueueFiles, openSegmentName, parseSealedBatchName, readBatchEvents, sealedBatchName, type SealedBatch,
} from './batch-files.js';
import type { TelemetryEvent } from './events.js';

export type { SealedBatch };

/**
 * A durable on-disk queue of telemetry events (trade-offs in the README, "Never losing an event").
 * - append() is one synchronous write(): in the page cache before track() returns, so it survives
 *   a crash or SIGKILL; fsync happens when a segment is sealed (100 events or a few seconds).
 * - Sealing renames the segment to `batch-<sealedAt>-<seq>-<batchId>.jsonl`: the batchId is born in
 *   the rename that freezes the contents, so retries reuse it and the server's idempotency turns
 *   "sent but not yet deleted" into an ignored duplicate, never a double count.
 * - Bounded: oldest batches go first beyond maxQueueBytes, and batches older than 30 days go.
 */

const sumBytes = (batches: readonly SealedBatch[]) => batches.reduce((sum, batch) => sum + batch.bytes, 0);
const definedOnly = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

export interface EventQueueOptions {
  directory: string;
  maxBatchEvents?: number;
  /** Seal before a batch nears the server's 256 kB body limit (error stacks are large). */
  maxBatchBytes?: number;
  maxQueueBytes?: number;
  maxEventAgeMs?: number;
  now?: () => Date;
}

export const MAX_BATCH_EVENTS = 100;
export const MAX_BATCH_BYTES = 128 * 1024;
export const DEFAULT_MAX_QUEUE_BYTES = 5 * 1024 * 1024;
export const MAX_EVENT_AGE_MS = 30 * 24 * 3600_000;
// Open segments of queues alive in this process: never "recovered" from under their writer.
const segmentsInUse = new Set<string>();

export class DurableEventQueue {
  readonly directory: string;
  private readonly limits: Required<Omit<EventQueueOptions, 'directory' | 'now'>>;
  private readonly now: () => Date;
  private fd: number | null = null;
  private openName = '';
  private openEvents = 0;
  private openBytes = 0;
  private openedAt = 0;
  private sealed: SealedBatch[] = [];
  private recovered = false;
  droppedBatches = 0;

  constructor({ directory, now, ...limits }: EventQueueOptions) {
    this.directory = directory;
    this.limits = { maxBatchEvents: MAX_BATCH_EVENTS, maxBatchBytes: MAX_BATCH_BYTES, maxQueueBytes: DEFAULT_MAX_QUEUE_BYTES, maxEventAgeMs: MAX_EVENT_AGE_MS, ...definedOnly(limits) };
    this.now = now ?? (() => new Date());
    ensureDirectory(this.directory);
    // The directory is scanned (a stat per batch) when the queue is first sealed, sent or measured,
    // not here: an app's start() must not wait for it (issue 15), and append() does not need it.
  }

  /** Synchronous and cheap (one write syscall): see the header for what this guarantees. */
  append(event: TelemetryEvent): void {
    const line = `${JSON.stringify(event)}\n`;
    if (this.fd === null) this.openSegment();
    fs.writeSync(this.fd!, line);
    this.openEvents++;
    this.openBytes += line.length;
    if (this.openEvents >= this.limits.maxBatchEvents || this.openBytes >= this.limits.maxBatchBytes) this.seal();
  }

  /** Freezes the open segment into a batch with its id; a no-op when nothing is open. */
  seal(): SealedBatch | null {
    if (this.fd === null) return null;
    this.ensureRecovered();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = null;
    segmentsInUse.delete(this.openName);
    const batch = this.openEvents > 0 ? this.sealFile(this.openName, this.openBytes) : null;
    if (!batch) removeFile(path.join(this.directory, this.openName));
    this.openEvents = this.openBytes = 0;
    this.enforceBounds();
    return batch;
  }

  sealIfOlderThan(ageMs: number): void {
    if (this.fd !== null && this.now().getTime() - this.openedAt >= ageMs) this.seal();
  }

  oldestBatch(): SealedBatch | undefined {
    this.ensureRecovered();
    this.enforceBounds();
    return this.sealed[0];
  }

  /** The batch's events still inside the server's age window. */
  readBatch(batch: SealedBatch): TelemetryEvent[] {
    return readBatchEvents(path.join(this.directory, batch.file), this.now().getTime() - this.limits.maxEventAgeMs);
  }

  remove(batch: SealedBatch): void {
    this.ensureRecovered();
    removeFile(path.join(this.directory, batch.file));
    this.sealed = this.sealed.filter((candidate) => candidate !== batch);
  }

  stats(): { sealedBatches: number; queuedBytes: number; droppedBatches: number; openEvents: number } {
    this.ensureRecovered();
    const queuedBytes = sumBytes(this.sealed) + this.openBytes;
    return { sealedBatches: this.sealed.length, queuedBytes, droppedBatches: this.droppedBatches, openEvents: this.openEvents };
  }

  /** Deletes everything queued (telemetry turned off). */
  clear(): void {
    this.ensureRecovered();
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    segmentsInUse.delete(this.openName);
    if (this.openName) removeFile(path.join(this.directory, this.openName));
    for (const batch of this.sealed) removeFile(path.join(this.directory, batch.file));
    this.sealed = [];
    this.openEvents = this.openBytes = 0;
  }

  private openSegment(): void {
    this.openName = openSegmentName();
    this.fd = fs.openSync(path.join(this.directory, this.openName), 'a', 0o600);
    segmentsInUse.add(this.openName);
    this.openEvents = this.openBytes = 0;
    this.openedAt = this.now().getTime();
  }

  private sealFile(openName: string, bytes: number): SealedBatch {
    const sealedAt = this.now().getTime();
    const batchId = randomUUID();
    const file = sealedBatchName(sealedAt, batchId);
    renameWithRetry(path.join(this.directory, openName), path.join(this.directory, file));
    fsyncDirectory(this.directory);
    const batch = { file, batchId, sealedAt, bytes };
    this.sealed.push(batch);
    this.sealed.sort(compareBatches);
    return batch;
  }

  private ensureRecovered(): void {
    if (this.recovered) return;
    this.recovered = true;
    this.recover();
  }

  /** Seals segments left open by a process that crashed, and indexes the sealed batches. */
  private recover(): void {
    for (const { name, size } of listQueueFiles(this.directory)) {
      try {
        if (isAbandonedSegment(name, segmentsInUse)) {
          if (size > 0) this.sealFile(name, size);
          else removeFile(path.join(this.directory, name));
        } else {
          const batch = parseSealedBatchName(name, size);
          if (batch) this.sealed.push(batch);
        }
      } catch {
        // Another process recovering the same directory got there first.
      }
    }
    this.sealed.sort(compareBatches);
    this.enforceBounds();
  }

  private enforceBounds(): void {
    const oldestAllowed = this.now().getTime() - this.limits.maxEventAgeMs;
    let total = sumBytes(this.sealed);
    while (this.sealed.length > 0 && (this.sealed[0]!.sealedAt < oldestAllowed || total > this.limits.maxQueueBytes)) {
      const oldest = this.sealed[0]!;
      total -= oldest.bytes;
      this.remove(oldest);
      this.droppedBatches++;
    }
  }
}
