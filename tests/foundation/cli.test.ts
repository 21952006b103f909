/**
 * The `nomina` CLI, run in-process against its own PostgreSQL database.
 */
import { program } from '../../src/cli/main';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let output: string[];
const env = { ...process.env };
beforeAll(async () => {
  h = await createHarness();
  const secrets = h.config.secrets;
  Object.assign(process.env, {
    DATABASE_URL: h.databaseUrl, LOG_LEVEL: 'silent',
    NOMINA_MASTER_KEYS: secrets.masterKeys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
    NOMINA_INDEX_KEY: secrets.indexKey.toString('base64'), NOMINA_KEY_PEPPER: secrets.keyPepper.toString('base64'),
    NOMINA_TELEMETRY_KEY: secrets.telemetryKey.toString('base64'), NOMINA_TOKEN_SECRET: secrets.tokenSecret.toString('base64'),
  });
});
afterAll(async () => {
  process.env = env;
  await h.close();
});
beforeEach(() => {
  output = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => { output.push(line); });
  jest.spyOn(console, 'error').mockImplementation((line: string) => { output.push(line); });
  process.exitCode = undefined;
});
afterEach(() => {
  jest.restoreAllMocks();
  process.exitCode = undefined;
});

const run = (...args: string[]) => program.parseAsync(['node', 'nomina', ...args]);

describe('nomina CLI', () => {
  it('creates a staff user who can then sign in', async () => {
    await run('staff', 'create', '--email', 'cli.admin@vendor.test', '--role', 'admin', '--password', 'long-enough-password');
    expect(output.join('\n')).toMatch(/created staff user cli\.admin@vendor\.test \(admin\)/);
    await h.api.post('/v1/staff/sessions').send({ email: 'cli.admin@vendor.test', password: 'long-enough-password' }).expect(200);
  });

  it('verifies the audit chain, and lists each broken link after tampering', async () => {
    await run('audit', 'verify');
    expect(output.join('\n')).toMatch(/audit chain intact: \d+ entries verified/);
    expect(output.join('\n')).toMatch(/database: PostgreSQL [^ ]+:\d+\/nomina_t_\w+/); // which database was verified
    expect(process.exitCode).toBeUndefined();

    await h.services.prisma.$executeRawUnsafe(`UPDATE audit_entries SET "actorId" = 'someone-else' WHERE seq = (SELECT min(seq) FROM audit_entries)`);
    output = [];
    await run('audit', 'verify');
    expect(output.join('\n')).toMatch(/audit chain BROKEN: 1 problem\(s\)[^]*seq \d+: entry was changed/);
    expect(process.exitCode).toBe(1);
  });
});
