import type { FetchFunction } from './http.js';
import type { DeviceIdentity, IdentitySources } from './identity.js';
import type { TelemetryLevel } from './telemetry/levels.js';
import type { PublicJwk } from './trusted-keys.js';

export interface StartOptions {
  serverUrl: string;
  key: string;
  /** Product code; also the key's prefix and the token's audience. */
  product: string;
  appVersion: string;
  /** Pinned server public keys (Ed25519 JWKs with kid), shipped inside the app. */
  publicKeys: PublicJwk[];
  /** Per-user writable directory (e.g. Electron's app.getPath('userData') + '/nomina'). */
  storageDir: string;
  /** The longest start() waits for the server (default 3000 ms). */
  timeoutMs?: number;
  /** The app's/user's telemetry choice (default 'all'); an administrator lock can only lower it. */
  telemetry?: TelemetryLevel;
  policyFile?: string;
  /** A ready identity, or sources to collect it from (tests, non-Windows hosts). */
  identity?: DeviceIdentity | Partial<IdentitySources>;
  fetch?: FetchFunction;
  now?: () => Date;
  env?: Record<string, string | undefined>;
  flushIntervalMs?: number;
  maxQueueBytes?: number;
  /**
   * Take a seat again for this PC after it was released (the server answers DEVICE_RELEASED until
   * asked). Only on the user's explicit request: it spends a seat of the licence's maxMachines.
   */
  activate?: boolean;
  /** Record session_end when the process exits (default true). */
  hookProcessExit?: boolean;
}

export type ReleaseResult = { released: true } | { released: false; reason: 'NO_TOKEN' | 'NETWORK' | `HTTP_${number}` };
