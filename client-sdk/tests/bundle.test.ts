/**
 * The shipped bundle (package.json `main`, dist/nomina-sdk.cjs) as an app installs it. jose is a
 * dev dependency only (tests and the bench sign with it): were any runtime file to import it again,
 * the bundle would either require('jose') — missing from an app's node_modules, and 17–27 ms of
 * every start where present (issue 15) — or carry jose's source inlined. Both are refused here.
 *
 * The bundle is built with the package's own build command into a folder that has no
 * node_modules, and started there in a fresh process, answering offline from a saved token and
 * from an imported licence file (the two paths that verify a signature at start).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createActivationRequest, importLicenceFile, NominaClient, type StartOptions } from '../src/index';
import { generateKey } from '../src/key-format';
import { createFakeServer } from './helpers/fake-server';
import { signLicenceFile } from './helpers/licence-files';
import { createSigningKey, type SigningKey } from './helpers/signing';

const sdkRoot = path.resolve(__dirname, '..');
const identity = { ntUsername: 'jdoe', ntDomain: 'CONTOSO', pcName: 'LAPTOP-7', macAddresses: ['3C:7C:3F:1A:2B:3C'] };
const key = generateKey('ACME', (n) => new Uint8Array(n).fill(3));
let workDir: string;
let bundle: string;
let service: SigningKey;

/** The rolldown step of `npm run build`, writing to `file` instead of dist/. */
function buildBundle(file: string): void {
  const script: string = JSON.parse(fs.readFileSync(path.join(sdkRoot, 'package.json'), 'utf8')).scripts.build;
  const step = script.split('&&').map((part) => part.trim()).find((part) => part.startsWith('rolldown '));
  if (!step) throw new Error(`no rolldown step in the build script: ${script}`);
  const args = step.split(/\s+/).slice(1);
  const fileArg = args.indexOf('--file');
  if (fileArg < 0) throw new Error(`the rolldown step names no --file: ${step}`);
  args.splice(fileArg, 2, '--file', file);
  const rolldownPackage = require.resolve('rolldown/package.json', { paths: [sdkRoot] });
  const cli = path.join(path.dirname(rolldownPackage), JSON.parse(fs.readFileSync(rolldownPackage, 'utf8')).bin.rolldown);
  execFileSync(process.execPath, [cli, ...args], { cwd: sdkRoot, stdio: 'pipe', timeout: 60_000 });
}

/**
 * A port where nothing listens, so the app's connection is refused. Not a port the system just handed
 * out and took back: a test running beside this one may be given it next (this test failed once that
 * way). Port 1 (tcpmux) is privileged and nothing here serves it.
 */
const CLOSED_PORT = 1;

interface AppRun {
  verdict: { valid: boolean; offline: boolean; source?: string; code: string };
  requested: string[];
  cached: string[];
}

/** One app start in a fresh process beside the bundle, recording every module it asks for. */
function startApp(options: StartOptions): AppRun {
  const app = path.join(workDir, `app-${path.basename(options.storageDir)}.js`);
  fs.writeFileSync(app, `
    const Module = require('node:module');
    const requested = [];
    const load = Module._load;
    Module._load = function (request, ...rest) { requested.push(request); return load.call(this, request, ...rest); };
    require(${JSON.stringify(bundle)}).start(${JSON.stringify(options)}).then((verdict) => {
      process.stdout.write(JSON.stringify({ verdict, requested, cached: Object.keys(require.cache) }));
    });
  `);
  const output = execFileSync(process.execPath, [app], { cwd: workDir, env: { ...process.env, NODE_PATH: '' }, encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(output) as AppRun;
}

function expectOnlyNodeModules(run: AppRun): void {
  expect(run.requested.filter((request) => /^jose(\/|$)/.test(request))).toEqual([]);
  expect(run.cached.filter((file) => /[\\/]node_modules[\\/]/.test(file))).toEqual([]);
  // Nor anything else a start without the server does not need (node:zlib is for activation
  // requests, node:http only once a connection is up): each costs the app's start time (issue 15).
  expect([...new Set(run.requested)].filter((request) => request !== bundle).sort()).toEqual(['node:crypto', 'node:fs', 'node:net', 'node:os', 'node:path']);
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomina-bundle-'));
  bundle = path.join(workDir, 'nomina-sdk.cjs');
  buildBundle(bundle);
  service = await createSigningKey('k1');
});
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe('the built SDK bundle', () => {
  it('neither requires jose nor carries its code', () => {
    const code = fs.readFileSync(bundle, 'utf8');
    // A require() or import() of jose, or jose inlined: rolldown marks each inlined module with its
    // path (//#region ../node_modules/jose/…). The lines themselves are reported, not the whole bundle.
    const joseLines = code.split('\n').filter((line) => /(require|import)\(\s*["']jose(\/[^"']*)?["']|node_modules[\\/]jose[\\/]/.test(line));
    expect(joseLines).toEqual([]);
    // Its only imports are Node's own modules.
    const imports = [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    expect(imports.filter((id) => !id!.startsWith('node:'))).toEqual([]);
  });

  it('answers offline from a saved token in a fresh process loading only the Node modules it needs', async () => {
    const storageDir = fs.mkdtempSync(path.join(workDir, 'token-'));
    const base = { key, product: 'ACME', appVersion: '1.0.0', publicKeys: [service.publicJwk], storageDir, identity, env: {}, policyFile: path.join(storageDir, 'none'), hookProcessExit: false };
    const online = new NominaClient({ ...base, serverUrl: 'http://nomina.invalid', fetch: createFakeServer({ signingKey: service }).fetch });
    expect(await online.start()).toMatchObject({ valid: true, source: 'online' });
    await online.shutdown(0);

    const run = startApp({ ...base, serverUrl: `http://127.0.0.1:${CLOSED_PORT}` });
    expect(run.verdict).toMatchObject({ valid: true, offline: true, source: 'cache', code: 'VALID' });
    expectOnlyNodeModules(run);
  });

  it('answers offline from an imported licence file in a fresh process loading only the Node modules it needs', async () => {
    const storageDir = fs.mkdtempSync(path.join(workDir, 'licence-file-'));
    const base = { key, product: 'ACME', appVersion: '1.0.0', publicKeys: [service.publicJwk], storageDir, identity, env: {}, policyFile: path.join(storageDir, 'none'), hookProcessExit: false };
    const { request } = createActivationRequest(base);
    const file = await signLicenceFile(service, request);
    expect(await importLicenceFile(base, file)).toMatchObject({ valid: true, source: 'licence-file' });

    const run = startApp({ ...base, serverUrl: `http://127.0.0.1:${CLOSED_PORT}` });
    expect(run.verdict).toMatchObject({ valid: true, offline: true, source: 'licence-file', code: 'VALID' });
    expectOnlyNodeModules(run);
  });
});
