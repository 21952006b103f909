/**
 * A desktop app SIGKILLed in the middle of a telemetry flush loses no event and duplicates none
 * (issue 7): the child process runs the SDK's TypeScript sources against the real server, the
 * proxy holds one batch in flight, the parent kills the child, and a restart of the "app" sends
 * everything left on disk. The server's idempotency on batchId turns the batch whose answer was
 * lost into an ignored duplicate. Counted in telemetry_events.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { EdgeReply } from './support/edge-proxy';
import { aPhysicalIdentity, eventually, openSdkWorld, type IssuedLicence, type SdkWorld } from './support/sdk-world';

const repositoryRoot = path.join(__dirname, '../..');
let world: SdkWorld;
beforeAll(async () => { world = await openSdkWorld(); });
afterAll(() => world.close());
afterEach(() => world.proxy.reset());

interface RunningApp {
  child: ChildProcess;
  /** events the child has reported as tracked (each is on disk once reported) */
  tracked(): number;
  exited: Promise<string | null>;
}

function runApp(licence: IssuedLicence, storageDir: string, identity: ReturnType<typeof aPhysicalIdentity>): RunningApp {
  const options = {
    serverUrl: world.proxy.url, key: licence.key, product: licence.productCode, appVersion: '5.2.1', publicKeys: world.pinnedKeys,
    storageDir, identity, timeoutMs: 10_000, flushIntervalMs: 10, policyFile: path.join(storageDir, 'no-policy.json'),
  };
  const progressFile = path.join(storageDir, 'progress.txt');
  const child = spawn(process.execPath, ['-r', path.join(repositoryRoot, 'tests/privacy/support/swc-register.cjs'), path.join(__dirname, 'support/flush-child.ts')], {
    cwd: repositoryRoot, env: { ...process.env, CHILD_OPTIONS: JSON.stringify(options), CHILD_PROGRESS_FILE: progressFile }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => { errors += chunk.toString(); });
  const exited = new Promise<string | null>((resolve) => child.on('close', (code, signal) => {
    if (signal !== 'SIGKILL') process.stderr.write(`child exited with ${code}: ${errors}`);
    resolve(signal);
  }));
  // The last complete line of the progress file.
  const tracked = () => {
    const text = fs.existsSync(progressFile) ? fs.readFileSync(progressFile, 'utf8') : '';
    return Number(text.slice(0, text.lastIndexOf('\n')).split('\n').at(-1) || 0);
  };
  return { child, tracked, exited };
}

const queueFiles = (storageDir: string) => fs.readdirSync(path.join(storageDir, 'telemetry'));
const batchIdOf = (body: string) => JSON.parse(body).batchId as string;

describe.each([
  ['after the server stored the batch, before its answer arrived', 'answer-lost'],
  ['while the batch was on its way, before the server saw it', 'request-lost'],
] as const)('an app killed mid-flush, %s', (_label, when) => {
  it('loses no tracked event and duplicates none', async () => {
    const licence = await world.issue();
    const storageDir = world.storageDir();
    const identity = aPhysicalIdentity();
    let held: string | undefined;
    let trackedWhenHeld = 0;
    let app: RunningApp | undefined;
    // The first batch is held at the edge for ever: the child dies with it in flight.
    const hold = (body: string) => {
      held ??= batchIdOf(body);
      trackedWhenHeld ||= app!.tracked();
      return new Promise<EdgeReply>(() => {});
    };
    if (when === 'answer-lost') world.proxy.after = (request, reply) => (request.path === '/v1/telemetry' && !held ? hold(request.body) : reply);
    else world.proxy.before = (request) => (request.path === '/v1/telemetry' && !held ? hold(request.body) : undefined);

    app = runApp(licence, storageDir, identity);
    // Kill once the flush loop has gone on tracking and sealing batches behind the held one.
    await eventually(() => (held && app!.tracked() >= trackedWhenHeld + 500 ? true : undefined), 'a held batch and 500 more events', 60_000);
    app.child.kill('SIGKILL');
    expect(await app.exited).toBe('SIGKILL');
    const acknowledged = app.tracked();
    // The held batch and the 500 events behind it (sealed by 100s) wait on disk; the sender was stuck on the held one.
    expect(queueFiles(storageDir).length).toBeGreaterThanOrEqual(6);

    // The app starts again on the same PC: everything left on disk is sent.
    world.proxy.reset();
    const restarted = world.client(licence, { storageDir, identity, serverUrl: world.proxy.url, flushIntervalMs: 3600_000 });
    expect(await restarted.start()).toMatchObject({ valid: true });
    await eventually(async () => {
      await restarted.flush();
      return queueFiles(storageDir).length === 0 ? true : undefined;
    }, 'the queue to drain');

    const resent = world.proxy.requestsTo('/v1/telemetry').find((entry) => batchIdOf(entry.body) === held)!;
    expect(JSON.parse(resent.serverBody!)).toMatchObject({ duplicate: when === 'answer-lost' });
    const rows = await world.h.services.prisma.telemetryEvent.findMany({ where: { productId: licence.productId, type: 'feature' }, select: { name: true } });
    const numbers = rows.map((row) => Number(row.name.slice(1))).sort((a, b) => a - b);
    expect(numbers.length).toBe(new Set(numbers).size); // none twice
    expect(numbers).toEqual(numbers.map((_, i) => i)); // e0 … eN without a gap
    // Every acknowledged event is there; at most the one tracked between its print and the kill is extra.
    expect(numbers.length).toBeGreaterThanOrEqual(acknowledged);
    expect(numbers.length).toBeLessThanOrEqual(acknowledged + 1);
    expect(await world.h.services.prisma.telemetryEvent.count({ where: { productId: licence.productId, type: 'session_start' } })).toBe(2);
  }, 120_000);
});
