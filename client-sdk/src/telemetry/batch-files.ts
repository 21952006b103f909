import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { TelemetryEvent } from './events.js';

/**
 * File names are the queue's only index, so a crash can never leave index and files disagreeing:
 *   open-<pid>-<random>.jsonl                   a segment still being appended to
 *   batch-<sealedAtMs>-<seq>-<batchId>.jsonl    a sealed batch; sorts oldest first
 */
const OPEN_SEGMENT = /^open-(\d+)-[0-9a-f]+\.jsonl$/;
const SEALED_BATCH = /^batch-(\d{13})-\d{6}-([0-9a-f-]{36})\.jsonl$/;
let sealSequence = 0; // orders batches sealed within the same millisecond

export interface SealedBatch {
  file: string;
  batchId: string;
  sealedAt: number;
  bytes: number;
}

export function listQueueFiles(directory: string): Array<{ name: string; size: number }> {
  const files: Array<{ name: string; size: number }> = [];
  for (const name of fs.readdirSync(directory)) {
    if (!OPEN_SEGMENT.test(name) && !SEALED_BATCH.test(name)) continue;
    try {
      files.push({ name, size: fs.statSync(`${directory}/${name}`).size });
    } catch {
      // deleted meanwhile by another process sending it
    }
  }
  return files;
}

export function openSegmentName(): string {
  return `open-${process.pid}-${randomBytes(6).toString('hex')}.jsonl`;
}

export function sealedBatchName(sealedAt: number, batchId: string): string {
  sealSequence = (sealSequence + 1) % 1_000_000;
  return `batch-${String(sealedAt).padStart(13, '0')}-${String(sealSequence).padStart(6, '0')}-${batchId}.jsonl`;
}

export function parseSealedBatchName(file: string, bytes: number): SealedBatch | null {
  const match = SEALED_BATCH.exec(file);
  return match ? { file, batchId: match[2]!, sealedAt: Number(match[1]), bytes } : null;
}

export function compareBatches(a: SealedBatch, b: SealedBatch): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/** An open segment whose writer is gone (crashed or killed): its events must be sealed and sent. */
export function isAbandonedSegment(file: string, segmentsInUse: ReadonlySet<string>): boolean {
  const match = OPEN_SEGMENT.exec(file);
  if (!match || segmentsInUse.has(file)) return false;
  const pid = Number(match[1]);
  return pid === process.pid || !isProcessAlive(pid);
}

/** The events at or after `oldestAllowed`; torn (power loss) or corrupt lines are skipped. */
export function readBatchEvents(filePath: string, oldestAllowed: number): TelemetryEvent[] {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch {
    return [];
  }
  const events: TelemetryEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const event = JSON.parse(line) as TelemetryEvent;
      if (Date.parse(event.at) >= oldestAllowed) events.push(event);
    } catch {
      // keep the rest of the batch
    }
  }
  return events;
}
