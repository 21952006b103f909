/**
 * The CLI says which database it opens, never creates an empty embedded database for a command
 * that only reads, and says what to do while the service holds the embedded database — before it
 * asks for anything.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { program } from '../../src/cli/main';
import { describeDatabase } from '../../src/cli/cli-database';

const env = { ...process.env };
let stderr: string[];
beforeEach(() => {
  stderr = [];
  jest.spyOn(console, 'error').mockImplementation((line: string) => { stderr.push(line); });
  jest.spyOn(console, 'log').mockImplementation(() => {});
  delete process.env.DATABASE_URL;
});
afterEach(() => {
  jest.restoreAllMocks();
  process.env = { ...env };
  process.exitCode = undefined;
});

const run = (...args: string[]) => program.parseAsync(['node', 'nomina', ...args]);

describe('which database the CLI opens', () => {
  it('names a PostgreSQL database by host, port, database and user, never by password', () => {
    const said = describeDatabase({ databaseUrl: 'postgres://nomina:s3cret%21@db.internal:6543/licences?sslmode=require', dataDir: './data' });
    expect(said).toBe('PostgreSQL db.internal:6543/licences as nomina');
    expect(said).not.toContain('s3cret');
  });

  it('names the embedded database by its absolute directory', () => {
    expect(describeDatabase({ dataDir: 'some/dir' })).toBe(`embedded PostgreSQL in ${path.resolve('some/dir')}`);
  });

  it('refuses to verify the audit chain of a database that does not exist, and creates nothing', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'nomina-cli-')), 'data');
    process.env.NOMINA_DATA_DIR = dir;
    await expect(run('audit', 'verify')).rejects.toThrow(/no embedded database in .*this command only reads.*NOMINA_DATA_DIR/);
    expect(existsSync(dir)).toBe(false); // not even development secrets
  });

  it('refuses a dry-run retention on a directory without a database too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nomina-cli-'));
    process.env.NOMINA_DATA_DIR = dir;
    await expect(run('retention', 'run', '--dry-run')).rejects.toThrow(/no embedded database/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('tells what to do while the service holds the embedded database, before asking for a password', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nomina-cli-'));
    mkdirSync(path.join(dir, 'pgdata'));
    writeFileSync(path.join(dir, 'nomina.lock'), String(process.ppid)); // a live process that is not this one
    process.env.NOMINA_DATA_DIR = dir;
    // No --password: had the CLI prompted first, it would wait on stdin and this test time out.
    await expect(run('staff', 'create', '--email', 'late@vendor.test', '--role', 'admin'))
      .rejects.toThrow(new RegExp(`process ${process.ppid}.*Stop it.*POST /v1/setup`));
  });
});
