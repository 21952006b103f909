/**
 * The world of the SDK end-to-end tests: the real Nomina app (its own PostgreSQL database, see
 * tests/support/harness.ts) listening on a random port, an edge proxy in front of it, licences
 * issued through the real use case, and SDK clients with their own storage directories.
 *
 * The SDK uses its default transport (node:net and node:http), as an app does. Only the clock is
 * injected (an offset from the real time), so grace periods and clock rollback are tested without waiting.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NominaClient, type StartOptions } from '../../../client-sdk/src/index';
import type { DeviceIdentity } from '../../../client-sdk/src/identity';
import type { PublicJwk } from '../../../client-sdk/src/trusted-keys';
import { buildLicence } from '../../support/factories';
import { createHarness, type Harness } from '../../support/harness';
import { createEmbeddedHarness } from '../../support/embedded-harness';
import { randomMac } from '../../validation/validate-helpers';
import { EdgeProxy } from './edge-proxy';
import { LiveServer } from './live-server';

type PolicyOverrides = NonNullable<Parameters<typeof buildLicence>[1]>['policy'];

export interface IssuedLicence {
  key: string;
  productCode: string;
  productId: string;
  licenceId: string;
  holderId: string;
  policyId: string;
}

export interface SdkWorld {
  h: Harness;
  server: LiveServer;
  proxy: EdgeProxy;
  /** The server's public keys as an app pins them at build time (from /.well-known/jwks.json). */
  pinnedKeys: PublicJwk[];
  /** Added to the real time for every client's clock. */
  clock: { offsetMs: number };
  issue(policy?: PolicyOverrides): Promise<IssuedLicence>;
  /** A fresh per-user storage directory, removed by close(). */
  storageDir(): string;
  /** A client of `licence`; a new storage directory unless one is given (the same app restarted). */
  client(licence: IssuedLicence, overrides?: Partial<StartOptions>): NominaClient;
  close(): Promise<void>;
}

export function aPhysicalIdentity(): DeviceIdentity {
  return { ntUsername: 'jdoe', ntDomain: 'CONTOSO', pcName: `LAPTOP-${randomBytes(3).toString('hex').toUpperCase()}`, macAddresses: [randomMac()] };
}

export async function openSdkWorld(options: { database?: 'postgres' | 'embedded' } = {}): Promise<SdkWorld> {
  const h = options.database === 'embedded' ? await createEmbeddedHarness() : await createHarness();
  const server = new LiveServer(h.app);
  await server.start();
  const proxy = new EdgeProxy(() => server.url);
  await proxy.listen();
  const pinnedKeys = ((await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: PublicJwk[] }).keys;
  const clock = { offsetMs: 0 };
  const directories: string[] = [];
  const clients: NominaClient[] = [];
  // One storage directory is one PC: the same app restarted must present the same identity.
  const identities = new Map<string, DeviceIdentity>();
  const newStorageDir = () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'nomina-sdk-e2e-'));
    directories.push(directory);
    identities.set(directory, aPhysicalIdentity());
    return directory;
  };

  return {
    h, server, proxy, pinnedKeys, clock,
    async issue(policy) {
      const { licence, key, product, holderId, policy: created } = await buildLicence(h, { policy });
      return { key, productCode: product.code, productId: product.id, licenceId: licence.id, holderId, policyId: created.id };
    },
    storageDir: newStorageDir,
    client(licence, overrides = {}) {
      const storageDir = overrides.storageDir ?? newStorageDir();
      const options: StartOptions = {
        serverUrl: server.url, key: licence.key, product: licence.productCode, appVersion: '5.2.1', publicKeys: pinnedKeys,
        timeoutMs: 5000, identity: identities.get(storageDir) ?? aPhysicalIdentity(), now: () => new Date(Date.now() + clock.offsetMs),
        // No administrator lock from the machine running the tests.
        env: {}, policyFile: path.join(storageDir, 'no-policy.json'), hookProcessExit: false,
        ...overrides, storageDir,
      };
      const client = new NominaClient(options);
      clients.push(client);
      return client;
    },
    async close() {
      // Server first: the clients' last flush then meets a refused connection, not a closing database.
      await proxy.close();
      await server.stop();
      for (const client of clients) await client.shutdown(1000);
      await h.close();
      for (const directory of directories) fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns a value that is not undefined; fails after `timeoutMs` (no fixed sleeps). */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Events stored for a product, by name (the server never stores which licence sent them). */
export async function storedEvents(world: SdkWorld, productId: string): Promise<Array<{ type: string; name: string }>> {
  return world.h.services.prisma.telemetryEvent.findMany({ where: { productId }, select: { type: true, name: true }, orderBy: { name: 'asc' } });
}
