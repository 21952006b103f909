/**
 * "Never lost": the built service runs as a child process on a test database; a licence is issued
 * through its API with an API key (the outbox row commits with it); while the delivery is in
 * flight — the receiver holds the request — the process is killed with SIGKILL. A fresh process
 * on the same database delivers the event once its claim's lease has run out, with the same id.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { createApiKey } from '../../src/api-keys/create-api-key';
import { createWebhookEndpoint } from '../../src/webhooks/create-webhook-endpoint';
import { buildContact, buildPolicy } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { startReceiver, until } from '../support/webhook-receiver';

const root = path.resolve(__dirname, '..', '..');
let h: Harness;
beforeAll(async () => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'pipe' });
  h = await createHarness();
}, 120_000);
afterAll(() => h.close());

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startService(port: number, dataDir: string): Promise<ChildProcess> {
  const s = h.config.secrets;
  const child = spawn(process.execPath, [path.join(root, 'dist', 'src', 'main.js')], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: h.databaseUrl, NOMINA_DATA_DIR: dataDir, LOG_LEVEL: 'info',
      NOMINA_MASTER_KEYS: s.masterKeys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
      NOMINA_INDEX_KEY: s.indexKey.toString('base64'), NOMINA_KEY_PEPPER: s.keyPepper.toString('base64'),
      NOMINA_TELEMETRY_KEY: s.telemetryKey.toString('base64'), NOMINA_TOKEN_SECRET: s.tokenSecret.toString('base64'),
      // A claim's lease is twice the timeout: 2 s before a delivery in flight on a dead process is retried.
      NOMINA_WEBHOOK_TIMEOUT_SECONDS: '1', NOMINA_WEBHOOK_POLL_MS: '50', NOMINA_WEBHOOK_RETRY_SCHEDULE: '0.1,0.1,0.1',
    },
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
  await until(() => output.includes('Nomina listening') || child.exitCode !== null, async () => undefined, 30_000);
  if (child.exitCode !== null) throw new Error(`the service did not start: ${output}`);
  return child;
}

it('delivers an event whose delivery was in flight when the service was killed with SIGKILL', async () => {
  let holding = true;
  const receiver = await startReceiver(() => (holding ? 'hang' : 200));
  const { endpoint, secret } = await createWebhookEndpoint(h.services, { url: receiver.url, eventTypes: ['licence.issued'] }, (await h.staffUser('admin')).id, { type: 'system' }, 'crash-test');
  const { key } = await createApiKey(h.services, { name: 'shop', scopes: ['licences:write'], rateLimitPerMinute: 600 }, (await h.staffUser('admin')).id, { type: 'system' }, 'crash-test');
  const policy = await buildPolicy(h);
  const holder = await buildContact(h);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'nomina-crash-'));
  const port = await freePort();

  const first = await startService(port, dataDir);
  try {
    const res = await fetch(`http://127.0.0.1:${port}/v1/licences`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ policyId: policy.id, holderId: holder.id }),
    });
    expect(res.status).toBe(201);
    const licenceId = ((await res.json()) as { id: string }).id;
    // The delivery is in flight: the receiver holds the request. Now the process dies without any clean-up.
    await until(() => receiver.received.length === 1, async () => undefined, 15_000);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const [inFlight] = await h.services.prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
    expect(inFlight).toMatchObject({ status: 'pending', attempts: 1, deliveredAt: null });

    holding = false;
    const second = await startService(port, dataDir);
    try {
      await until(() => receiver.delivered().length === 1, async () => undefined, 20_000);
    } finally {
      second.kill('SIGTERM');
      await new Promise((resolve) => second.once('exit', resolve));
    }
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1].id).toBe(receiver.received[0].id);
    expect(receiver.delivered()[0]).toMatchObject({ type: 'licence.issued', data: { licenceId } });
    const r = receiver.received[1];
    expect(() => new Webhook(secret).verify(r.body, { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature })).not.toThrow();
    const [done] = await h.services.prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
    expect(done).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200 });
  } finally {
    if (first.exitCode === null && first.signalCode === null) first.kill('SIGKILL');
    await receiver.close();
  }
}, 90_000);
