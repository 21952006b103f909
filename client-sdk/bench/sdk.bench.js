// The numbers the desktop app feels (issues 7 and 15), all measured in one run so that they can be
// compared with each other on a busy machine:
//  - cold start(): a fresh `node` process per run (as an app is started) loads the SDK, reads
//    storageDir, verifies the saved token and answers offline because the server refuses the
//    connection. Timed from just before `require()` of the SDK to the verdict (target ≤ 20 ms),
//    with Node's own boot (process start → first line of the app, not the SDK's) shown beside it;
//    once with an http:// and once with an https:// server URL (https loads Node's TLS module);
//  - the same cold start on an air-gapped PC: no saved token, an imported licence file (checked
//    again at every start: signature, device key, this PC's identity hashes, expiry);
//  - warm start(): start() again in a process that has already run one (target ≤ 5 ms);
//  - track() per event (target ≤ 20 µs).
// The server is "down" as a refused connection is (a closed port on 127.0.0.1, the SDK's default
// transport); DNS or TCP timeouts are bounded by timeoutMs instead.
// Run: npm run bench (builds dist/ first). COLD_RUNS=n sets the number of fresh processes (default 30);
// SDK_MODULE=file measures another build of the SDK (e.g. an older dist/index.js) with the same harness;
// COMPARE_WITH=file runs that build's cold starts interleaved with this one's, for a ratio that holds
// on a busy machine (the load changes between two separate runs).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { exportJWK, generateKeyPair, SignJWT } = require('jose');
const { generateKey } = require('../dist/key-format.js');
const { hashIdentity } = require('../dist/offline/identity-hash.js');

// The package's main, as an app requires it (or another build, to compare): used for every number.
const sdkModule = path.resolve(process.env.SDK_MODULE ?? require.resolve('..'));
const { NominaClient, createActivationRequest, importLicenceFile } = require(sdkModule);
const coldRuns = Number(process.env.COLD_RUNS ?? 30);
const sorted = (values) => [...values].sort((a, b) => a - b);
const median = (values) => sorted(values)[Math.floor(values.length / 2)];
const p95 = (values) => sorted(values)[Math.ceil(values.length * 0.95) - 1];
const ms = (value) => `${value.toFixed(1).padStart(5)} ms`;

async function closedPort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const compareWith = process.env.COMPARE_WITH ? path.resolve(process.env.COMPARE_WITH) : null;

function coldStart(optionsFile, module = sdkModule, source = 'cache') {
  const output = execFileSync(process.execPath, [path.join(__dirname, 'cold-start.child.js'), optionsFile, module], { encoding: 'utf8', timeout: 30_000 });
  const run = JSON.parse(output);
  // An older build (COMPARE_WITH) names no source.
  if (!run.offline || !run.valid || (run.source !== undefined && run.source !== source)) throw new Error(`unexpected cold verdict ${run.code} from ${run.source}`);
  return run;
}

/**
 * An air-gapped PC's storage: a request made here, answered by a licence file as the service signs
 * it (docs/offline-activation.md §3) and imported. No token is ever saved in it.
 */
async function importedLicenceFile(options, privateKey) {
  const { request } = createActivationRequest(options);
  const file = await new SignJWT({
    sub: 'l', lic: 'l', dev: 'd', code: 'VALID', valid: true, ent: [], vu: null, tel: 'on', nonce: request.nonce,
    jti: require('node:crypto').randomUUID(), mode: 'offline', cnf: { jwk: request.devicePublicKey }, idh: hashIdentity(request.nonce, request.device),
  }).setProtectedHeader({ alg: 'EdDSA', kid: 'bench', typ: 'nomina-licence-file+jwt' }).setIssuer('nomina').setAudience('ACME')
    .setIssuedAt().setExpirationTime('30d').sign(privateKey);
  const verdict = await importLicenceFile(options, file);
  if (!verdict.valid) throw new Error(`licence file refused: ${verdict.code}`);
}

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
  const port = await closedPort();
  // As an app passes them: no fetch (the SDK's default transport), telemetry on, the exit hook on.
  const options = { serverUrl: `http://127.0.0.1:${port}`, key, product: 'ACME', appVersion: '1.0.0', publicKeys: [publicJwk], storageDir, env: {}, policyFile: path.join(storageDir, 'none') };
  const online = new NominaClient({ ...options, hookProcessExit: false, fetch: up });
  await online.start(); // saves the token the offline starts answer from
  await online.shutdown(0);

  const airGappedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomina-bench-air-gapped-'));
  const airGapped = { ...options, storageDir: airGappedDir, policyFile: path.join(airGappedDir, 'none') };
  await importedLicenceFile(airGapped, privateKey);

  const httpFile = path.join(storageDir, 'options-http.json');
  const httpsFile = path.join(storageDir, 'options-https.json');
  const licenceFileOptions = path.join(airGappedDir, 'options-licence-file.json');
  fs.writeFileSync(httpFile, JSON.stringify(options));
  fs.writeFileSync(httpsFile, JSON.stringify({ ...options, serverUrl: `https://127.0.0.1:${port}` }));
  fs.writeFileSync(licenceFileOptions, JSON.stringify(airGapped));
  coldStart(httpFile); // the first run after a build also fills the OS's file cache
  coldStart(licenceFileOptions, sdkModule, 'licence-file');
  const cold = { http: [], https: [], 'licence file': [] };
  const compared = { http: [], https: [] };
  // A build from before air-gapped activation cannot read licence files: compared only when it can.
  if (compareWith && require(compareWith).importLicenceFile) compared['licence file'] = [];
  for (let i = 0; i < coldRuns; i++) {
    cold.http.push(coldStart(httpFile));
    if (compareWith) compared.http.push(coldStart(httpFile, compareWith));
    cold.https.push(coldStart(httpsFile));
    if (compareWith) compared.https.push(coldStart(httpsFile, compareWith));
    cold['licence file'].push(coldStart(licenceFileOptions, sdkModule, 'licence-file'));
    if (compared['licence file']) compared['licence file'].push(coldStart(licenceFileOptions, compareWith, 'licence-file'));
  }

  const startTimes = [];
  let client;
  for (let i = 0; i < 60; i++) {
    client = new NominaClient({ ...options, hookProcessExit: false, telemetry: 'off' });
    const began = performance.now();
    const verdict = await client.start();
    startTimes.push(performance.now() - began);
    if (!verdict.offline || !verdict.valid) throw new Error(`unexpected verdict ${verdict.code}`);
  }
  client = new NominaClient({ ...options, hookProcessExit: false });
  await client.start();
  const trackTimes = [];
  for (let i = 0; i < 20_000; i++) {
    const began = performance.now();
    client.track('feature_used', { index: i, label: 'menu' });
    trackTimes.push((performance.now() - began) * 1000);
  }
  await client.shutdown(0);
  fs.rmSync(storageDir, { recursive: true, force: true });
  fs.rmSync(airGappedDir, { recursive: true, force: true });

  const [load1] = os.loadavg();
  console.log(`SDK: ${sdkModule}; ${os.cpus().length} cores, load average ${load1.toFixed(2)}; Node ${process.version}`);
  console.log(`cold start(), a fresh process per run (${coldRuns} runs each), server refusing connections; http and https answer from the saved token, 'licence file' from an imported licence file (http):`);
  const report = (label, scheme, runs) => {
    const pick = (field) => runs.map((run) => run[field]);
    console.log(`  ${scheme.padEnd(12)} require() of ${label} → verdict: median ${ms(median(pick('sdkMs')))}, p95 ${ms(p95(pick('sdkMs')))} (target ≤ 20 ms)` +
      ` [require ${ms(median(pick('importMs')))}, start() ${ms(median(pick('startMs')))}; CPU ${ms(median(pick('sdkCpuMs')))}]`);
    console.log(`               process start → verdict:         median ${ms(median(pick('sinceProcessStartMs')))}, p95 ${ms(p95(pick('sinceProcessStartMs')))}` +
      ` (of which Node's own boot, before the app's first line: median ${ms(median(pick('nodeBootMs')))})`);
  };
  for (const scheme of Object.keys(cold)) {
    report('the SDK', scheme, cold[scheme]);
    if (!compareWith || !compared[scheme]) continue;
    report('COMPARE_WITH', scheme, compared[scheme]);
    const ratio = (field) => (median(cold[scheme].map((run) => run[field])) / median(compared[scheme].map((run) => run[field]))).toFixed(2);
    console.log(`               the SDK ÷ COMPARE_WITH (${compareWith}): wall ${ratio('sdkMs')}, CPU ${ratio('sdkCpuMs')}`);
  }
  console.log(`warm start() in the same process, offline with the saved licence: median ${ms(median(startTimes.slice(10)))}, p95 ${ms(p95(startTimes.slice(10)))} (target ≤ 5 ms)`);
  console.log(`track() per event:                                              median ${median(trackTimes).toFixed(1)} µs (target ≤ 20 µs)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
