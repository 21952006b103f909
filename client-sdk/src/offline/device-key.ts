import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { readJsonFile, writeFileAtomic } from '../storage.js';

const DEVICE_KEY_FILE = 'device-key.json';

/** The public half as it travels in a request and comes back in the licence file's `cnf.jwk`. */
export interface DevicePublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}

export interface DeviceKey {
  publicJwk: DevicePublicJwk;
  privateKey: KeyObject;
}

const isBase64Url = (value: unknown): value is string => typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);

/** The device key pair of this storage directory, or null when none was made yet (or the file is damaged). */
export function loadDeviceKey(storageDir: string): DeviceKey | null {
  const saved = readJsonFile(path.join(storageDir, DEVICE_KEY_FILE)) as { x?: unknown; d?: unknown } | undefined;
  if (!isBase64Url(saved?.x) || !isBase64Url(saved.d)) return null;
  try {
    const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: saved.x, d: saved.d }, format: 'jwk' });
    return { publicJwk: { kty: 'OKP', crv: 'Ed25519', x: saved.x }, privateKey };
  } catch {
    return null;
  }
}

/**
 * Made once per storage directory and reused, so a renewal keeps the key its licence file is bound
 * to. The private half never leaves this file (0600, written whole or not at all).
 */
export function loadOrCreateDeviceKey(storageDir: string, now: Date): DeviceKey {
  const existing = loadDeviceKey(storageDir);
  if (existing) return existing;
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  writeFileAtomic(path.join(storageDir, DEVICE_KEY_FILE), JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d, createdAt: now.toISOString() }));
  return { publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x! }, privateKey };
}

export function sameDevicePublicKey(a: unknown, b: DevicePublicJwk): boolean {
  const candidate = a as Partial<DevicePublicJwk> | null;
  return candidate?.kty === b.kty && candidate.crv === b.crv && candidate.x === b.x;
}
