import path from 'node:path';
import { readJsonFile, removeFile, writeFileAtomic } from '../storage.js';

const STORED_FILE = 'licence-file.json';

export interface StoredLicenceFile {
  licenceFile: string;
  /** SHA-256 of the canonical key the request named, so another key never answers from it. */
  keyDigest: string;
  importedAt: string;
}

/** The imported licence file; re-verified (signature, device, identity, expiry) every time it is used. */
export class LicenceFileStore {
  private readonly file: string;

  constructor(storageDir: string) {
    this.file = path.join(storageDir, STORED_FILE);
  }

  load(): StoredLicenceFile | null {
    const saved = readJsonFile(this.file) as Partial<StoredLicenceFile> | undefined;
    if (typeof saved?.licenceFile !== 'string' || typeof saved.keyDigest !== 'string') return null;
    return { licenceFile: saved.licenceFile, keyDigest: saved.keyDigest, importedAt: String(saved.importedAt) };
  }

  save(licenceFile: string, keyDigest: string, now: Date): void {
    writeFileAtomic(this.file, JSON.stringify({ licenceFile, keyDigest, importedAt: now.toISOString() }));
  }

  clear(): void {
    removeFile(this.file);
  }
}
