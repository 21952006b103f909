/**
 * Each test file gets its own PostgreSQL database (cloned from the migrated template), its own
 * secrets and its own app — tests never share records or mock the database.
 *
 *   const h = await createHarness();          afterAll(() => h.close());
 *   const token = await h.login('support');   await h.api.get('/v1/...').set(h.auth(token));
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from '../../src/app';
import { presentAuditEntry } from '../../src/audit/present-audit-entry';
import type { AuditEntry, PrismaClient } from '../../src/generated/prisma/client';
import type { Config } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import type { StaffRole } from '../../src/generated/prisma/enums';
import { createLogger } from '../../src/logger';
import { buildServices, type Services } from '../../src/services';
import { createStaffUser } from '../../src/staff/create-staff-user';
import { databaseUrl, dropTestDatabase, templateName, withAdminClient } from '../setup/test-database';
import { testConfig } from './test-config';

export interface Harness {
  services: Services;
  db: Database;
  config: Config;
  databaseUrl: string;
  app: ReturnType<typeof createApp>;
  api: TestAgent;
  /** every log line written by the app, for privacy assertions */
  logs: string[];
  login(role: StaffRole): Promise<string>;
  staffUser(role: StaffRole): Promise<{ id: string; email: string; password: string; token: string }>;
  auth(token: string): { Authorization: string };
  /** audit entries as stored, with the purpose unsealed (it is sealed with the subject's key) */
  audit: ReturnType<typeof auditWithPurposes>;
  close(): Promise<void>;
}

type AuditQuery = NonNullable<Parameters<PrismaClient['auditEntry']['findMany']>[0]>;

/** Reads audit entries like `prisma.auditEntry`, showing each entry's purpose as staff and the subject see it. */
export function auditWithPurposes(services: Services) {
  const unseal = async (entry: AuditEntry) => ({ ...entry, purpose: (await presentAuditEntry(services, entry)).purpose });
  return {
    findMany: async (args: AuditQuery) => Promise.all((await services.prisma.auditEntry.findMany(args)).map(unseal)),
    async findFirst(args: AuditQuery) {
      const entry = await services.prisma.auditEntry.findFirst(args);
      return entry && unseal(entry);
    },
    findFirstOrThrow: async (args: AuditQuery) => unseal(await services.prisma.auditEntry.findFirstOrThrow(args)),
  };
}

export async function createTestDatabase(): Promise<string> {
  const name = `nomina_t_${templateName().split('_').slice(2).join('_')}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName()}"`));
  return name;
}

export { dropTestDatabase }; // from ../setup/test-database, beside the other database helpers

export async function createHarness(overrides: Partial<Config> = {}): Promise<Harness> {
  const name = await createTestDatabase();
  const url = databaseUrl(name);
  const config = testConfig({ databaseUrl: url, ...overrides });
  const db = await openDatabase({ databaseUrl: url, dataDir: config.dataDir, poolSize: 20 });
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
  const services = buildServices(config, db, createLogger('info', sink));
  const app = createApp(services);
  const staffCache = new Map<StaffRole, { id: string; email: string; password: string; token: string }>();

  const harness: Harness = {
    services, db, config, databaseUrl: url, app, logs, audit: auditWithPurposes(services),
    api: request(app),
    auth: (token) => ({ Authorization: `Bearer ${token}` }),
    async staffUser(role) {
      const cached = staffCache.get(role);
      if (cached) return cached;
      const email = `${role}.${randomUUID().slice(0, 8)}@vendor.test`;
      const password = `pw-${randomBytes(9).toString('base64url')}`;
      const user = await createStaffUser(db.prisma, { email, password, roles: [role] });
      const { token } = await services.sessions.issueStaff(user.id);
      const entry = { id: user.id, email, password, token };
      staffCache.set(role, entry);
      return entry;
    },
    async login(role) {
      return (await harness.staffUser(role)).token;
    },
    async close() {
      await services.close();
      await db.close();
      await dropTestDatabase(name);
    },
  };
  return harness;
}
