import path from 'node:path';
import { readJsonFile, writeFileAtomic } from '../storage.js';

const PENDING_FILE = 'offline-requests.json';
/** A few renewals and retries at most; older requests drop off first. */
export const MAX_PENDING_REQUESTS = 16;
/** The service refuses requests older than 30 days; a licence file may still be carried back a while later. */
export const PENDING_REQUEST_MAX_AGE_MS = 90 * 86_400_000;

export interface PendingRequest {
  nonce: string;
  createdAt: string;
  /** SHA-256 of the canonical key the request named: a file for another key is not accepted for this one. */
  keyDigest: string;
}

/**
 * Nonces of activation requests this storage directory made and has not yet seen answered. A
 * licence file must echo one, once: a file issued for another request (or replayed) is refused.
 */
export class PendingRequests {
  private readonly file: string;

  constructor(storageDir: string) {
    this.file = path.join(storageDir, PENDING_FILE);
  }

  list(now: Date): PendingRequest[] {
    const saved = readJsonFile(this.file) as { requests?: unknown } | undefined;
    const requests = Array.isArray(saved?.requests) ? (saved.requests as Partial<PendingRequest>[]) : [];
    return requests.filter((r): r is PendingRequest =>
      typeof r.nonce === 'string' && typeof r.keyDigest === 'string' && typeof r.createdAt === 'string' &&
      now.getTime() - Date.parse(r.createdAt) < PENDING_REQUEST_MAX_AGE_MS);
  }

  find(nonce: string, now: Date): PendingRequest | undefined {
    return this.list(now).find((r) => r.nonce === nonce);
  }

  add(request: PendingRequest, now: Date): void {
    this.save([...this.list(now), request].slice(-MAX_PENDING_REQUESTS));
  }

  consume(nonce: string, now: Date): void {
    this.save(this.list(now).filter((r) => r.nonce !== nonce));
  }

  private save(requests: PendingRequest[]): void {
    writeFileAtomic(this.file, JSON.stringify({ requests }));
  }
}
