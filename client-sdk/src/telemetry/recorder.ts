import type { DurableEventQueue } from './event-queue.js';
import type { TelemetryEvent, TelemetryProps, TelemetryPropValue } from './events.js';
import type { TelemetryLevel } from './levels.js';
import type { Scrubber } from './scrub.js';

const MAX_NAME_LENGTH = 100;
const MAX_PROPS = 20;
const MAX_PROP_KEY_LENGTH = 64;
const MAX_STRING_LENGTH = 256;
const MAX_STACK_LENGTH = 2000;
const MAX_VERSION_LENGTH = 64;
// The server refuses a whole batch over 4 kB of props per event; keep well inside it.
const MAX_PROPS_BYTES = 3500;
// The server refuses control characters in names and keys (one bad name would lose a batch).
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F]/g;

export interface RecorderOptions {
  queue: DurableEventQueue;
  scrub: Scrubber;
  level: () => TelemetryLevel;
  now: () => Date;
  appVersion: string;
  osVersion: string;
}

/**
 * Turns app calls into queued events. It never throws into the app: telemetry failing (disk
 * full, read-only profile) must not break the feature being used, so failures are only counted.
 */
export class TelemetryRecorder {
  failedWrites = 0;
  private readonly versions: { appVersion: string; osVersion: string };

  constructor(private readonly options: RecorderOptions) {
    // On every event: a queued event may be sent after the app was upgraded.
    this.versions = { appVersion: label(options.appVersion, MAX_VERSION_LENGTH), osVersion: label(options.osVersion, MAX_VERSION_LENGTH) };
  }

  track(name: string, props?: Record<string, unknown>): void {
    if (this.options.level() !== 'all') return;
    this.record({ type: 'feature', name: label(String(name), MAX_NAME_LENGTH), at: this.options.now().toISOString(), ...this.cleanProps(props) });
  }

  trackError(error: unknown): void {
    if (this.options.level() === 'off') return;
    const { scrub } = this.options;
    const err = error instanceof Error ? error : new Error(String(error));
    const props: TelemetryProps = { message: clip(scrub(err.message), MAX_STRING_LENGTH) };
    if (err.stack) props.stack = clip(scrub(err.stack), MAX_STACK_LENGTH);
    this.record({ type: 'error', name: label(scrub(err.name || 'Error'), MAX_NAME_LENGTH), at: this.options.now().toISOString(), props });
  }

  /** Sessions are usage, so they follow the `all` level like features. */
  session(type: 'session_start' | 'session_end', durationMs?: number, props?: Record<string, unknown>): void {
    if (this.options.level() !== 'all') return;
    const event: TelemetryEvent = { type, name: 'session', at: this.options.now().toISOString(), ...this.cleanProps(props) };
    if (durationMs !== undefined) event.durationMs = Math.max(0, Math.round(durationMs));
    this.record(event);
  }

  private record(event: TelemetryEvent): void {
    if (!event.name) return;
    try {
      this.options.queue.append({ ...event, ...this.versions });
    } catch {
      this.failedWrites++;
    }
  }

  /** Only flat scalar props, bounded, with strings scrubbed: apps pass file paths more than they think. */
  private cleanProps(props: Record<string, unknown> | undefined): { props?: TelemetryProps } {
    if (!props) return {};
    const cleaned: TelemetryProps = {};
    let count = 0;
    let bytes = 2;
    for (const rawKey in props) {
      if (count >= MAX_PROPS) break;
      const key = label(rawKey, MAX_PROP_KEY_LENGTH);
      const value = cleanValue(props[rawKey], this.options.scrub);
      if (!key || value === undefined) continue;
      bytes += Buffer.byteLength(JSON.stringify(key) + JSON.stringify(value)) + 2;
      if (bytes > MAX_PROPS_BYTES) break;
      cleaned[key] = value;
      count++;
    }
    return count > 0 ? { props: cleaned } : {};
  }
}

function cleanValue(value: unknown, scrub: Scrubber): TelemetryPropValue | undefined {
  if (typeof value === 'string') return clip(scrub(value), MAX_STRING_LENGTH);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value;
  return undefined;
}

/** A name, key or version as the server accepts it: no control characters, trimmed, bounded. */
function label(text: string, maxLength: number): string {
  return clip(text.replace(CONTROL_CHARACTERS, ' ').trim(), maxLength);
}

function clip(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : text.slice(0, maxLength);
}
