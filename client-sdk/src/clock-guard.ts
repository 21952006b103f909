import path from 'node:path';
import { readJsonFile, writeFileAtomic } from './storage.js';

/** Clocks drift and time zones change; only a clock set back by more than this is rollback. */
export const CLOCK_ROLLBACK_TOLERANCE_MS = 60 * 60 * 1000;
const CLOCK_FILE = 'clock.json';

/**
 * A clock set back could stretch an offline grace for ever, so the SDK remembers the latest
 * server time it has seen (a signed token's `iat`, never the unsigned `ts`) and refuses to
 * answer offline when the local clock is earlier than that minus the tolerance.
 */
export function isClockRolledBack(now: Date, lastServerTime: Date | null): boolean {
  return lastServerTime !== null && now.getTime() < lastServerTime.getTime() - CLOCK_ROLLBACK_TOLERANCE_MS;
}

export class ServerTimeRecord {
  private readonly file: string;

  constructor(storageDir: string) {
    this.file = path.join(storageDir, CLOCK_FILE);
  }

  read(): Date | null {
    const saved = readJsonFile(this.file) as { lastServerTime?: unknown } | undefined;
    const time = typeof saved?.lastServerTime === 'number' ? new Date(saved.lastServerTime) : null;
    return time && !Number.isNaN(time.getTime()) ? time : null;
  }

  /** Only ever moves forward. */
  record(serverTime: Date): void {
    const previous = this.read();
    if (previous && previous.getTime() >= serverTime.getTime()) return;
    writeFileAtomic(this.file, JSON.stringify({ lastServerTime: serverTime.getTime() }));
  }
}
