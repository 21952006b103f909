import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BatchSender } from '../src/telemetry/batch-sender';
import { DurableEventQueue } from '../src/telemetry/event-queue';

const sdkRoot = path.resolve(__dirname, '..');
let buildDir: string;
let storageDir: string;

// The child must run real compiled code in its own process, so the SDK is built once for this file.
beforeAll(() => {
  buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomina-sdk-build-'));
  const tsc = path.resolve(sdkRoot, '../node_modules/.bin/tsc');
  execFileSync(tsc, ['-p', path.join(sdkRoot, 'tsconfig.build.json'), '--outDir', buildDir, '--sourceMap', 'false', '--declaration', 'false']);
});
afterAll(() => fs.rmSync(buildDir, { recursive: true, force: true }));
beforeEach(() => {
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomina-crash-'));
});
afterEach(() => fs.rmSync(storageDir, { recursive: true, force: true }));

/** Runs a child that tracks numbered events as fast as it can, reporting progress; SIGKILLs it mid-stream. */
async function trackUntilKilled(minimumAcknowledged: number): Promise<number> {
  const script = `
    const { DurableEventQueue } = require(${JSON.stringify(path.join(buildDir, 'telemetry/event-queue.js'))});
    const queue = new DurableEventQueue({ directory: process.argv[1] });
    for (let i = 0; ; i++) {
      queue.append({ type: 'feature', name: 'n' + i, at: new Date().toISOString() });
      if (i % 50 === 0) process.stdout.write(i + 1 + '\\n'); // every event up to i is on disk now
    }`;
  const child = spawn(process.execPath, ['-e', script, storageDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let acknowledged = 0;
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = chunk.toString().trim().split('\n');
      acknowledged = Math.max(acknowledged, Number(lines.at(-1)));
      if (acknowledged >= minimumAcknowledged && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', () => resolve());
  });
  return acknowledged;
}

describe('durability across a SIGKILL', () => {
  it('loses no acknowledged event and duplicates none, and the server counts each batch once', async () => {
    const acknowledged = await trackUntilKilled(2000);

    const queue = new DurableEventQueue({ directory: storageDir });
    const serverSeen = new Map<string, string[]>(); // batchId → event names: the server's idempotency
    let hangFirstResponse = true;
    const fetch = async (_url: string, init?: RequestInit) => {
      const body = JSON.parse(String(init!.body));
      if (!serverSeen.has(body.batchId)) serverSeen.set(body.batchId, body.events.map((e: { name: string }) => e.name));
      // The first batch is accepted, but the answer is lost (the app dies before deleting it).
      if (hangFirstResponse) {
        hangFirstResponse = false;
        throw new TypeError('connection reset');
      }
      return new Response(null, { status: 202 });
    };
    const options = { queue, serverUrl: 'http://server', fetch, token: () => 't', level: () => 'all' as const, now: () => new Date(), random: () => 0 };
    await new BatchSender(options).sendDue();
    // "Restart": a new queue over the same directory retries the same batch under the same batchId.
    const restarted = new DurableEventQueue({ directory: storageDir });
    expect(await new BatchSender({ ...options, queue: restarted }).sendDue()).toBe('DRAINED');

    const counted = [...serverSeen.values()].flat().map((name) => Number(name.slice(1)));
    expect(counted.length).toBe(new Set(counted).size); // no duplicates
    expect(counted.length).toBeGreaterThanOrEqual(acknowledged); // nothing acknowledged was lost
    expect([...counted].sort((a, b) => a - b)).toEqual(counted.map((_, i) => i)); // contiguous, in order
  }, 60_000);
});

describe('session end on process exit', () => {
  it('records session_end with its duration when the app exits without calling shutdown()', () => {
    const script = `
      const { NominaClient } = require(${JSON.stringify(path.join(buildDir, 'index.js'))});
      const { generateKey } = require(${JSON.stringify(path.join(buildDir, 'key-format.js'))});
      const client = new NominaClient({
        serverUrl: 'http://127.0.0.1:9', key: generateKey('ACME', (n) => new Uint8Array(n)), product: 'ACME', appVersion: '1.0.0',
        publicKeys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'k', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }],
        storageDir: process.argv[1], env: {}, policyFile: '/nonexistent/policy.json',
        fetch: async () => { throw new TypeError('fetch failed'); },
      });
      client.start().then(() => { client.track('used'); setTimeout(() => process.exit(0), 30); });`;
    // jose lives in the repository's node_modules, not next to the temporary build.
    execFileSync(process.execPath, ['-e', script, storageDir], { env: { ...process.env, NODE_PATH: path.resolve(sdkRoot, '../node_modules') } });
    const queue = new DurableEventQueue({ directory: path.join(storageDir, 'telemetry') });
    const events = queue.readBatch(queue.oldestBatch()!);
    expect(events.map((event) => event.type)).toEqual(['session_start', 'feature', 'session_end']);
    expect(events[2]!.durationMs).toBeGreaterThanOrEqual(25);
  });
});
