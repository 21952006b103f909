/**
 * The service's dependencies, built once from the configuration and handed to every route.
 * Tests build their own with a database of their own (tests/support/harness.ts).
 */
import Redis from 'ioredis';
import type { Config } from './config';
import { AuditTrail } from './audit/audit-trail';
import { BlindIndex } from './crypto/blind-index';
import { Keyring } from './crypto/keyring';
import { SubjectCrypto } from './crypto/subject-keys';
import type { Database } from './db/database';
import type { PrismaClient } from './generated/prisma/client';
import { Metrics } from './http/metrics';
import { RateLimits } from './http/rate-limit';
import type { Logger } from './logger';
import { SessionTokens } from './staff/session-tokens';

export interface Services {
  config: Config;
  db: Database;
  prisma: PrismaClient;
  logger: Logger;
  keyring: Keyring;
  subjects: SubjectCrypto;
  blindIndex: BlindIndex;
  audit: AuditTrail;
  sessions: SessionTokens;
  rateLimits: RateLimits;
  metrics: Metrics;
  /** the current time; a parameter so tests can move it */
  now(): Date;
  /** Registers something to release on close (connections a module opened for itself). */
  onClose(release: () => Promise<void>): void;
  /** releases Redis and whatever modules registered; the database is closed by its owner */
  close(): Promise<void>;
}

export function buildServices(config: Config, db: Database, logger: Logger): Services {
  const keyring = new Keyring(config.secrets.masterKeys);
  const subjects = new SubjectCrypto(keyring, db.keyVault);
  const redis = config.redisUrl ? new Redis(config.redisUrl, { enableOfflineQueue: false, lazyConnect: false }) : undefined;
  const releases: (() => Promise<void>)[] = [];
  const metrics = new Metrics();
  return {
    config,
    db,
    prisma: db.prisma,
    logger,
    keyring,
    subjects,
    blindIndex: new BlindIndex(config.secrets.indexKey),
    audit: new AuditTrail(db.prisma, subjects),
    sessions: new SessionTokens(config.secrets.tokenSecret, db.prisma, config.staffTokenTtlSeconds),
    rateLimits: new RateLimits(redis, { logger, metrics }),
    metrics,
    now: () => new Date(),
    onClose(release) {
      releases.push(release);
    },
    async close() {
      if (redis) redis.disconnect();
      await Promise.all(releases.splice(0).map((release) => release()));
    },
  };
}
