import path from 'node:path';
import { readJsonFile, removeFile, writeFileAtomic } from './storage.js';

const TOKEN_FILE = 'licence-token.json';

export interface CachedToken {
  token: string;
  /** SHA-256 of the canonical key the token answered, so a different key never reuses it. */
  keyDigest: string;
  savedAt: string;
  /** The server's reason given with the verdict, shown again offline (plain text, not covered by the signature). */
  detail?: string;
}

/**
 * The last verdict token, valid or not (a cached REVOKED must win over an older VALID). It is
 * re-verified on every read, so the file needs no protection beyond the signature it carries.
 */
export class TokenCache {
  private readonly file: string;

  constructor(storageDir: string) {
    this.file = path.join(storageDir, TOKEN_FILE);
  }

  load(): CachedToken | null {
    const saved = readJsonFile(this.file) as Partial<CachedToken> | undefined;
    if (typeof saved?.token !== 'string' || typeof saved.keyDigest !== 'string') return null;
    const detail = typeof saved.detail === 'string' ? saved.detail.slice(0, 1000) : undefined;
    return { token: saved.token, keyDigest: saved.keyDigest, savedAt: String(saved.savedAt), ...(detail ? { detail } : {}) };
  }

  save(token: string, keyDigest: string, now: Date, detail?: string): void {
    writeFileAtomic(this.file, JSON.stringify({ token, keyDigest, savedAt: now.toISOString(), ...(detail ? { detail } : {}) }));
  }

  clear(): void {
    removeFile(this.file);
  }
}
