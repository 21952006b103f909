import { randomBytes } from 'node:crypto';
import { ServerTimeRecord } from './clock-guard.js';
import { exchangeJson, joinUrl, type FetchFunction } from './http.js';
import { describeOperatingSystem, type DeviceIdentity } from './identity.js';
import { checkLicence } from './licence-check.js';
import { checkedKey, keyDigestOf, resolveIdentity } from './licence-key.js';
import { nodeTransport } from './node-transport.js';
import { ensureDirectory } from './storage.js';
import { defaultPolicyFile, readAdminLock } from './telemetry/levels.js';
import { createScrubber } from './telemetry/scrub.js';
import { Telemetry } from './telemetry/telemetry.js';
import { TokenCache } from './token-cache.js';
import { TrustedKeyStore } from './trusted-keys.js';
import type { LicenceVerdict } from './verdict.js';
import type { ReleaseResult, StartOptions } from './start-options.js';

export type { ReleaseResult, StartOptions };

const DEFAULT_TIMEOUT_MS = 3000;

/** One licensed app instance: start() once, then track(), and shutdown() on the way out. */
export class NominaClient {
  private telemetry: Telemetry | null = null;
  private token: string | null = null;
  private readonly cache: TokenCache;
  private readonly now: () => Date;
  private readonly fetchFn: FetchFunction;
  private readonly onExit = () => this.telemetry?.endSession();

  constructor(private readonly options: StartOptions) {
    for (const field of ['serverUrl', 'product', 'appVersion', 'storageDir'] as const) {
      if (typeof options[field] !== 'string' || options[field].length === 0) throw new TypeError(`start(): ${field} is required`);
    }
    this.cache = new TokenCache(options.storageDir);
    this.now = options.now ?? (() => new Date());
    this.fetchFn = options.fetch ?? nodeTransport;
  }

  /** Throws InvalidKeyError for a mistyped key (before any network call); otherwise a verdict value. */
  async start(): Promise<LicenceVerdict> {
    const { options } = this;
    const { canonical, product } = checkedKey(options.key, options.product);
    ensureDirectory(options.storageDir);
    const identity = resolveIdentity(options.identity);
    const keys = await TrustedKeyStore.open(options.publicKeys, options.storageDir);
    const result = await checkLicence({
      serverUrl: options.serverUrl, fetch: this.fetchFn, keys, cache: this.cache, serverTime: new ServerTimeRecord(options.storageDir),
      keyDigest: keyDigestOf(canonical),
      body: {
        key: canonical, product, device: identity,
        app: { version: options.appVersion, os: describeOperatingSystem() },
        nonce: randomBytes(16).toString('base64url'), clientTime: this.now().toISOString(),
        ...(options.activate === true ? { activate: true as const } : {}),
      },
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      now: this.now(),
      storageDir: options.storageDir,
    });
    this.token = result.token;
    // start() again (a periodic re-validation) refreshes the token but is the same session.
    const firstStart = this.telemetry === null;
    const telemetry = this.telemetry ?? this.startTelemetry(identity);
    if (result.claims) telemetry.obeyServer(result.claims.tel);
    telemetry.useToken(result.token);
    if (firstStart) telemetry.beginSession({ offline: result.verdict.offline });
    telemetry.startBackgroundFlush();
    return { ...result.verdict, telemetry: telemetry.level() };
  }

  track(name: string, props?: Record<string, unknown>): void {
    this.telemetry?.recorder.track(name, props);
  }

  trackError(error: unknown): void {
    this.telemetry?.recorder.trackError(error);
  }

  /** Sends what is due now (e.g. before the app goes to sleep); never rejects. */
  async flush(): Promise<void> {
    await this.telemetry?.flush();
  }

  /** Ends the session and gives queued events up to `timeoutMs` to leave; the rest wait on disk. */
  async shutdown(timeoutMs = 2000): Promise<void> {
    process.removeListener('exit', this.onExit);
    await this.telemetry?.shutdown(timeoutMs);
    this.telemetry = null;
  }

  /** Frees this device's seat on the licence (e.g. before moving to a new PC). */
  async release(timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS): Promise<ReleaseResult> {
    const token = this.token ?? this.cache.load()?.token;
    if (!token) return { released: false, reason: 'NO_TOKEN' };
    try {
      const response = await exchangeJson(this.fetchFn, joinUrl(this.options.serverUrl, '/v1/devices/release'), {
        method: 'POST', headers: { authorization: `Bearer ${token}` },
      }, timeoutMs);
      if (response.status !== 204 && response.status !== 200) return { released: false, reason: `HTTP_${response.status}` };
    } catch {
      return { released: false, reason: 'NETWORK' };
    }
    // The seat is gone server-side: the cached token must not keep the app licensed offline.
    this.cache.clear();
    this.token = null;
    this.telemetry?.useToken(null);
    return { released: true };
  }

  private startTelemetry(identity: DeviceIdentity): Telemetry {
    const { options } = this;
    const env = options.env ?? process.env;
    const telemetry = new Telemetry({
      storageDir: options.storageDir, serverUrl: options.serverUrl, fetch: this.fetchFn, now: this.now,
      scrub: createScrubber({ userName: identity.ntUsername, hostName: identity.pcName, domain: identity.ntDomain }),
      appVersion: options.appVersion, osVersion: describeOperatingSystem(),
      appLevel: options.telemetry ?? 'all',
      adminLock: readAdminLock({ env, policyFile: options.policyFile ?? defaultPolicyFile(process.platform, env) }),
      flushIntervalMs: options.flushIntervalMs, maxQueueBytes: options.maxQueueBytes,
    });
    this.telemetry = telemetry;
    if (options.hookProcessExit !== false) process.on('exit', this.onExit);
    return telemetry;
  }
}
