/**
 * The test harness on the embedded database (PGlite in memory, migrated as `npm start` does it),
 * shaped like tests/support/harness.ts so the SDK world and the factories run on it unchanged.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../src/app';
import type { StaffRole } from '../../src/generated/prisma/enums';
import { createLogger } from '../../src/logger';
import { buildServices } from '../../src/services';
import { createStaffUser } from '../../src/staff/create-staff-user';
import { openMigratedDatabase } from '../../src/startup';
import { auditWithPurposes, type Harness } from './harness';
import { testConfig } from './test-config';

export async function createEmbeddedHarness(): Promise<Harness> {
  const config = testConfig({ dataDir: 'memory://' });
  const db = await openMigratedDatabase(config, createLogger('silent'));
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
  const services = buildServices(config, db, createLogger('info', sink));
  const app = createApp(services);
  const staff = new Map<StaffRole, { id: string; email: string; password: string; token: string }>();
  const harness: Harness = {
    services, db, config, databaseUrl: 'memory://', app, logs, audit: auditWithPurposes(services),
    api: request(app),
    auth: (token) => ({ Authorization: `Bearer ${token}` }),
    async staffUser(role) {
      const cached = staff.get(role);
      if (cached) return cached;
      const email = `${role}.${randomUUID().slice(0, 8)}@vendor.test`;
      const password = `pw-${randomBytes(9).toString('base64url')}`;
      const user = await createStaffUser(db.prisma, { email, password, roles: [role] });
      const entry = { id: user.id, email, password, token: (await services.sessions.issueStaff(user.id)).token };
      staff.set(role, entry);
      return entry;
    },
    login: async (role) => (await harness.staffUser(role)).token,
    async close() {
      await services.close();
      await db.close();
    },
  };
  return harness;
}
