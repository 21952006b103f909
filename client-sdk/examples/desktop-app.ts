/**
 * A desktop app's start-up, runnable against a local service:
 *
 *   NOMINA_URL=http://127.0.0.1:3000 NOMINA_PRODUCT=ACME NOMINA_KEY=ACME-… npm --prefix client-sdk run example
 *
 * It checks the licence as an Electron main process would (never waiting longer than timeoutMs;
 * offline, the saved licence answers), records a feature use and a session, and exits 0 when the
 * licence is valid, 2 when it is not. Run it again with the service stopped to see the offline answer.
 *
 * Optional: NOMINA_PUBLIC_KEYS (the JSON of /.well-known/jwks.json, or a file holding it) and
 * NOMINA_STORAGE_DIR (where the licence and the telemetry queue are kept; default a temp folder).
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidKeyError, shutdown, start, track, type PublicJwk } from '../src/index.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`set ${name} (see client-sdk/README.md, "Quick start")`);
    process.exit(64);
  }
  return value;
}

/**
 * A real app pins the server's public keys at build time (PINNED_KEYS below, from the server's
 * /.well-known/jwks.json), so that a fake server cannot licence it. The quick start, which has
 * nothing pinned, fetches them once from the server it talks to — trust on first use, for trying only.
 */
async function publicKeys(serverUrl: string): Promise<PublicJwk[]> {
  const given = process.env.NOMINA_PUBLIC_KEYS;
  if (given) {
    const json = existsSync(given) ? readFileSync(given, 'utf8') : given;
    const parsed = JSON.parse(json) as { keys?: PublicJwk[] } | PublicJwk[];
    return Array.isArray(parsed) ? parsed : parsed.keys ?? [];
  }
  console.warn(`no NOMINA_PUBLIC_KEYS: trusting the keys ${serverUrl}/.well-known/jwks.json serves now (pin them in a real app)`);
  const response = await fetch(`${serverUrl}/.well-known/jwks.json`, { signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new Error(`could not read the server's public keys: HTTP ${response.status}`);
  return ((await response.json()) as { keys: PublicJwk[] }).keys;
}

async function main(): Promise<number> {
  const serverUrl = required('NOMINA_URL').replace(/\/+$/, '');
  const product = required('NOMINA_PRODUCT');
  const key = required('NOMINA_KEY');
  const storageDir = process.env.NOMINA_STORAGE_DIR ?? path.join(os.tmpdir(), 'nomina-example', product); // Electron: app.getPath('userData')
  let keys: PublicJwk[];
  try {
    keys = await publicKeys(serverUrl);
  } catch (error) {
    // Offline on the very first run: nothing pinned and nothing to fetch. The saved licence (if any) cannot be checked either.
    console.error(`cannot reach ${serverUrl} for its public keys (${error instanceof Error ? error.message : error}); set NOMINA_PUBLIC_KEYS to run offline`);
    return 3;
  }

  try {
    const licence = await start({
      serverUrl, key, product, appVersion: '5.2.1', publicKeys: keys, storageDir,
      timeoutMs: 3000,
      telemetry: 'all', // the user's choice from Settings; an administrator lock can only lower it
    });
    if (!licence.valid) {
      showLicenceDialog(`Licence problem: ${licence.code}. ${licence.detail}`);
      return 2;
    }
    console.info(`licence ${licence.code}${licence.offline ? ' (offline)' : ''}: ${licence.detail}`);
    console.info(`entitled to: ${licence.entitlements.join(', ') || 'base features'}; works offline until ${licence.expiresAt?.toISOString()}`);
    if (licence.warnings.length > 0) console.info(`warnings: ${licence.warnings.join(', ')}`);
  } catch (error) {
    if (error instanceof InvalidKeyError) { // a typo, caught before any network call
      showLicenceDialog(error.message);
      return 2;
    }
    throw error;
  }

  track('export_pdf', { pages: 12 }); // cheap and synchronous; persisted before it returns
  await shutdown(); // ends the session and sends what is queued (Electron: app.on('will-quit', …))
  console.info(`telemetry sent or queued in ${storageDir}`);
  return 0;
}

function showLicenceDialog(message: string): void {
  console.error(message);
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
