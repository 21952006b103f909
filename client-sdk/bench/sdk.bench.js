// Medians for the two numbers the desktop app feels (issue 7): start() with a cached token while
// the server is down (target ≤ 5 ms) and track() per event (target ≤ 20 µs).
// Run: npm run bench (builds dist/ first). The "server down" is a fetch that fails at once, as a
// refused connection does; DNS or TCP timeouts are bounded by timeoutMs instead.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { exportJWK, generateKeyPair, SignJWT } = require('jose');
const { NominaClient } = require('../dist/index.js');
const { generateKey } = require('../dist/key-format.js');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const { privateKey, publicKey } = await generateKeyPair('Ed25519');
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'bench' };
  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomina-bench-'));
  const key = generateKey('ACME', (n) => require('node:crypto').randomBytes(n));
  const up = async (url, init) => {
    const body = JSON.parse(init.body);
    const token = await new SignJWT({ lic: 'l', dev: 'd', code: 'VALID', valid: true, ent: [], vu: null, tel: 'on', nonce: body.nonce })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'bench' }).setSubject('l').setIssuer('nomina').setAudience('ACME')
      .setIssuedAt().setExpirationTime('7d').sign(privateKey);
    return Response.json({ valid: true, code: 'VALID', warnings: [], token, nonce: body.nonce, telemetry: 'on' });
  };
  const down = async () => { throw new TypeError('fetch failed: ECONNREFUSED'); };
  const options = { serverUrl: 'http://127.0.0.1:9', key, product: 'ACME', appVersion: '1.0.0', publicKeys: [publicJwk], storageDir, hookProcessExit: false, env: {}, policyFile: path.join(storageDir, 'none') };
  await new NominaClient({ ...options, fetch: up }).start();

  const startTimes = [];
  let client;
  for (let i = 0; i < 60; i++) {
    client = new NominaClient({ ...options, fetch: down, telemetry: 'off' });
    const began = performance.now();
    const verdict = await client.start();
    startTimes.push(performance.now() - began);
    if (!verdict.offline || !verdict.valid) throw new Error(`unexpected verdict ${verdict.code}`);
  }
  client = new NominaClient({ ...options, fetch: down });
  await client.start();
  const trackTimes = [];
  for (let i = 0; i < 20_000; i++) {
    const began = performance.now();
    client.track('feature_used', { index: i, label: 'menu' });
    trackTimes.push((performance.now() - began) * 1000);
  }
  await client.shutdown(0);
  fs.rmSync(storageDir, { recursive: true, force: true });
  console.log(`start() offline with cached token: median ${median(startTimes.slice(10)).toFixed(2)} ms (target ≤ 5 ms)`);
  console.log(`track() per event:                 median ${median(trackTimes).toFixed(1)} µs (target ≤ 20 µs)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
