/**
 * Start-up use in an Electron main process (or any Node ≥ 20 desktop app).
 * The licence check never blocks longer than timeoutMs; offline, the saved licence answers.
 */
import os from 'node:os';
import path from 'node:path';
import { InvalidKeyError, shutdown, start, track, trackError, type PublicJwk } from '../src/index.js';

// Pinned in the app at build time: the server's public signing key(s) from /.well-known/jwks.json.
const NOMINA_PUBLIC_KEYS: PublicJwk[] = [{ kty: 'OKP', crv: 'Ed25519', kid: '2026-01', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }];

export async function launch(savedKey: string): Promise<void> {
  try {
    const licence = await start({
      serverUrl: 'https://licences.example.com',
      key: savedKey,
      product: 'ACME',
      appVersion: '5.2.1',
      publicKeys: NOMINA_PUBLIC_KEYS,
      storageDir: path.join(os.homedir(), 'AppData', 'Roaming', 'Acme', 'nomina'), // Electron: app.getPath('userData')
      timeoutMs: 3000,
      telemetry: 'all', // the user's choice from Settings; an administrator lock can only lower it
    });
    if (!licence.valid) return showLicenceDialog(`Licence problem: ${licence.code}. ${licence.detail}`);
    if (licence.offline) console.info(`Offline; licence good until ${licence.expiresAt?.toISOString()}`);
    enableFeatures(licence.entitlements);
  } catch (error) {
    if (error instanceof InvalidKeyError) return showLicenceDialog(error.message); // a typo, caught before any network call
    throw error;
  }

  track('export_pdf', { pages: 12 }); // cheap and synchronous; persisted before it returns
  process.on('uncaughtException', (error) => trackError(error)); // scrubbed of user names, paths, e-mails
  process.once('beforeExit', () => void shutdown()); // Electron: app.on('will-quit', …)
}

function showLicenceDialog(message: string): void {
  console.error(message);
}

function enableFeatures(entitlements: string[]): void {
  console.info(`entitled to: ${entitlements.join(', ') || 'base features'}`);
}
