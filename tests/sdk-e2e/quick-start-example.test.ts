/**
 * The SDK README's quick start, run as a person would: `npm --prefix client-sdk run example` with
 * the server URL, product and key from the environment, against the real server — online, then
 * with the server stopped (the saved licence answers).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { openSdkWorld, type SdkWorld } from './support/sdk-world';

const root = path.resolve(__dirname, '..', '..');

function runExample(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    // Asynchronous on purpose: the server answering the example runs in this very process.
    const child = spawn('npm', ['--prefix', 'client-sdk', 'run', '--silent', 'example'], { cwd: root, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (chunk) => { out += String(chunk); });
    child.stderr.on('data', (chunk) => { out += String(chunk); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

let world: SdkWorld;
beforeAll(async () => { world = await openSdkWorld(); });
afterAll(() => world.close());

it('validates a licence with the quick start, then answers from the saved licence while the server is down', async () => {
  const licence = await world.issue();
  const env = { NOMINA_URL: world.server.url, NOMINA_PRODUCT: licence.productCode, NOMINA_KEY: licence.key, NOMINA_STORAGE_DIR: world.storageDir() };

  const online = await runExample(env);
  expect(online.out).toMatch(/licence VALID: /);
  expect(online.code).toBe(0);
  const validations = await world.h.services.prisma.validationEvent.count({ where: { licenceId: licence.licenceId } });
  expect(validations).toBe(1);

  await world.server.stop();
  const offline = await runExample({ ...env, NOMINA_PUBLIC_KEYS: JSON.stringify({ keys: world.pinnedKeys }) });
  expect(offline.out).toMatch(/licence VALID \(offline\)/);
  expect(offline.code).toBe(0);
  await world.server.start();
}, 120_000);

it('exits 2 with the reason when the key is refused', async () => {
  const licence = await world.issue();
  const result = await runExample({ NOMINA_URL: world.server.url, NOMINA_PRODUCT: licence.productCode, NOMINA_KEY: `${licence.key.slice(0, -2)}00`, NOMINA_STORAGE_DIR: world.storageDir() });
  expect(result.out).toMatch(/Licence problem|check character|not a valid/i);
  expect(result.code).toBe(2);
}, 120_000);
