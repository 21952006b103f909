import path from 'node:path';
import { readJsonFile, removeFile, writeFileAtomic } from './storage.js';

const TOKEN_FILE = 'licence-token.json';

export interface CachedToken {
  token: string;
  savedAt: string;
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
    return typeof saved?.token === 'string' ? { token: saved.token, savedAt: String(saved.savedAt) } : null;
  }

  save(token: string, now: Date): void {
    writeFileAtomic(this.file, JSON.stringify({ token, savedAt: now.toISOString() }));
  }

  clear(): void {
    removeFile(this.file);
  }
}
