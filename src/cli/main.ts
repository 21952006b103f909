/**
 * The `nomina` command. It opens the same database as the service (so, on the embedded
 * database, stop the service first: one process at a time may open the data directory).
 */
import { Command } from 'commander';
import { addBackupCommands } from './backup-commands';
import { verifyAuditChain } from '../audit/verify-audit-chain';
import { buildServices, type Services } from '../services';
import { createStaffUser } from '../staff/create-staff-user';
import { configOrExit, openMigratedDatabase, startupLogger } from '../startup';
import { StaffRoleSchema } from '../staff/staff.schemas';
import { checkCliDatabase, type CliDatabaseOptions } from './cli-database';
import { readPassword } from './read-password';
import { runRetention } from '../retention/run-retention';
import { rotateSigningKey } from '../signing/rotate-signing-key';
import { rewrapWebhookSecrets } from '../webhooks/webhook-secret';

/**
 * Opens the service's database for one command. Says which database first, on stderr (stdout stays
 * the command's own output), after refusing what the command must not do (cli-database.ts).
 */
async function withServices<T>(work: (services: Services) => Promise<T>, options: CliDatabaseOptions & { checked?: boolean } = {}): Promise<T> {
  if (!options.checked) console.error(checkCliDatabase(process.env, options));
  const { config } = configOrExit(process.env);
  const logger = startupLogger({ ...config, logLevel: process.env.LOG_LEVEL ?? 'warn' });
  const db = await openMigratedDatabase(config, logger);
  const services = buildServices(config, db, logger);
  try {
    return await work(services);
  } finally {
    await services.close();
    await db.close();
  }
}

export const program = new Command('nomina').description('Nomina licence and privacy service').showHelpAfterError();

program.command('migrate').description('apply pending database migrations').action(async () => {
  await withServices(async () => console.log('database is up to date'));
});

const staff = program.command('staff').description('staff accounts');
staff.command('create')
  .requiredOption('--email <email>', 'work e-mail address')
  .requiredOption('--role <role...>', 'support, privacy_officer, admin or auditor (repeatable)')
  .option('--password <password>', 'password (asked for when omitted)')
  .action(async (options: { email: string; role: string[]; password?: string }) => {
    const roles = options.role.map((r) => StaffRoleSchema.parse(r));
    // Checked before the password prompt: a running service would only refuse it afterwards.
    console.error(checkCliDatabase(process.env, {
      whileServiceRuns: 'create the first admin with the setup code the service printed at start (POST /v1/setup, see README) '
        + 'and further staff as an admin with POST /v1/staff',
    }));
    const password = options.password ?? (await readPassword('password (12+ characters): '));
    if (password.length < 12) throw new Error('the password needs at least 12 characters');
    await withServices(async (services) => {
      const user = await createStaffUser(services.prisma, { email: options.email, password, roles });
      await services.audit.record({ actor: { type: 'system', id: 'cli' }, action: 'staff.create', resource: { type: 'staff', id: user.id }, details: { roles } });
      console.log(`created staff user ${user.email} (${roles.join(', ')}) id=${user.id}`);
    }, { checked: true });
  });

const audit = program.command('audit').description('the audit trail');
audit.command('verify').description('verify the hash chain; lists every broken link, exit 1 if there is one').action(async () => {
  const report = await withServices((services) => verifyAuditChain(services.prisma), { readOnly: true });
  if (report.ok) console.log(`audit chain intact: ${report.checked} entries verified`);
  else {
    console.error(`audit chain BROKEN: ${report.brokenCount} problem(s) in ${report.checked} entries`);
    for (const link of report.broken) console.error(`  seq ${link.seq}: ${link.reason}`);
    if (report.brokenCount > report.broken.length) console.error(`  … and ${report.brokenCount - report.broken.length} more`);
    process.exitCode = 1;
  }
});

const retention = program.command('retention').description('retention of personal data');
retention.command('run').description('erase subjects 2 years after their agreement ended; expire validation events and telemetry')
  .option('--dry-run', 'count what would be removed, change nothing')
  .action(async (options: { dryRun?: boolean }) => {
    const run = await withServices(
      (services) => runRetention(services, { dryRun: Boolean(options.dryRun), trigger: 'cli', onProgress: (line) => console.log(line) }),
      { readOnly: Boolean(options.dryRun) },
    );
    console.log(`retention run ${run.id} ${options.dryRun ? '(dry run) ' : ''}finished; signed receipt stored (GET /v1/retention/runs)`);
  });

addBackupCommands(program, withServices);

const keys = program.command('keys').description('encryption keys');
keys.command('rewrap').description('re-wrap every subject data key and webhook signing secret with the current (first) master key').action(async () => {
  const [count, secrets] = await withServices(async (services) => [await services.subjects.rewrapAll(), await rewrapWebhookSecrets(services.prisma, services.keyring)]);
  console.log(`re-wrapped ${count} subject key(s) and ${secrets} webhook secret(s)`);
});
keys.command('rotate-signing').description('rotate the licence-token signing key; the previous keys keep verifying until their tokens expire').action(async () => {
  const rotation = await withServices((services) => rotateSigningKey(services, { type: 'system', id: 'cli' }));
  console.log(`new signing key ${rotation.kid}; retired ${rotation.retired.join(', ') || 'none'} (running instances switch within a minute)`);
});

/** Runs the CLI on `argv` (bin/nomina.js and `node dist/src/cli/main.js` call this; tests call `program`). */
export function runCli(argv: string[]): void {
  program.parseAsync(argv).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

if (require.main === module) runCli(process.argv);
