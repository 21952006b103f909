/**
 * The service's root secrets. Each is 32 random bytes, given base64-encoded.
 * - master keys: wrap per-subject data keys and signing keys; `id:base64,id2:base64`, the first encrypts,
 *   the others still decrypt (rotation without downtime);
 * - index key: keyed blind indexes for equality lookups on encrypted fields;
 * - key pepper: digests of licence keys;
 * - telemetry key: monthly pseudonyms; kept apart so telemetry cannot be re-linked without it;
 * - token secret: staff and subject session tokens (HS256).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export interface MasterKey { id: string; key: Buffer }

export interface Secrets {
  masterKeys: MasterKey[];
  indexKey: Buffer;
  keyPepper: Buffer;
  telemetryKey: Buffer;
  tokenSecret: Buffer;
}

type RawSecrets = Record<'masterKeys' | 'indexKey' | 'keyPepper' | 'telemetryKey' | 'tokenSecret', string | undefined>;
const VARIABLE: Record<keyof RawSecrets, string> = {
  masterKeys: 'NOMINA_MASTER_KEYS', indexKey: 'NOMINA_INDEX_KEY', keyPepper: 'NOMINA_KEY_PEPPER',
  telemetryKey: 'NOMINA_TELEMETRY_KEY', tokenSecret: 'NOMINA_TOKEN_SECRET',
};

function decodeKey(value: string): Buffer | null {
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 32 ? bytes : null;
}

export function parseMasterKeys(value: string): MasterKey[] | string {
  const keys: MasterKey[] = [];
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [id, encoded] = part.split(':');
    const key = encoded ? decodeKey(encoded) : null;
    if (!id || !/^[A-Za-z0-9_-]{1,32}$/.test(id) || !key) return 'expected "id:base64" entries of 32-byte keys, comma-separated';
    if (keys.some((k) => k.id === id)) return `duplicate master key id "${id}"`;
    keys.push({ id, key });
  }
  return keys.length > 0 ? keys : 'at least one key is required';
}

/** Parses the secrets that are set; `secrets` is complete only when all of them are. */
export function parseSecrets(raw: RawSecrets): { secrets?: Secrets; partial: Partial<Secrets>; problems: string[] } {
  const problems: string[] = [];
  const partial: Partial<Secrets> = {};
  if (raw.masterKeys) {
    const keys = parseMasterKeys(raw.masterKeys);
    if (typeof keys === 'string') problems.push(`NOMINA_MASTER_KEYS: ${keys}`);
    else partial.masterKeys = keys;
  }
  for (const name of ['indexKey', 'keyPepper', 'telemetryKey', 'tokenSecret'] as const) {
    const value = raw[name];
    if (!value) continue;
    const key = decodeKey(value);
    if (key) partial[name] = key;
    else problems.push(`${VARIABLE[name]}: expected 32 random bytes, base64-encoded (openssl rand -base64 32)`);
  }
  const complete = partial.masterKeys && partial.indexKey && partial.keyPepper && partial.telemetryKey && partial.tokenSecret;
  return { secrets: complete ? (partial as Secrets) : undefined, partial, problems };
}

/**
 * Development only: generate the missing secrets once and keep them in `<dataDir>/secrets.json`
 * (mode 0600), so encrypted data stays readable across restarts. Secrets given in the
 * environment take precedence.
 */
export function loadOrCreateDevSecrets(dataDir: string, given: Partial<Secrets>): { secrets: Secrets; path: string; created: boolean } {
  const file = path.resolve(dataDir, 'secrets.json');
  let stored: Record<string, string> = {};
  const created = !existsSync(file);
  if (!created) stored = JSON.parse(readFileSync(file, 'utf8'));
  else {
    stored = {
      masterKeys: `dev1:${randomBytes(32).toString('base64')}`,
      indexKey: randomBytes(32).toString('base64'),
      keyPepper: randomBytes(32).toString('base64'),
      telemetryKey: randomBytes(32).toString('base64'),
      tokenSecret: randomBytes(32).toString('base64'),
    };
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const fromFile = parseSecrets(stored as RawSecrets);
  if (!fromFile.secrets) throw new Error(`${file} is damaged: ${fromFile.problems.join('; ')}`);
  return { secrets: { ...fromFile.secrets, ...given }, path: file, created };
}
