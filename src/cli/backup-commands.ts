/**
 * `nomina backup create|restore` (PostgreSQL deployments). A backup is two files: the data dump,
 * which never contains a data key, and the single-generation key-store snapshot in the data
 * directory (src/privacy/backup/key-store.ts explains why erasure then reaches backups).
 */
import type { Command } from 'commander';
import { createBackup, reconcileAfterRestore, restoreDataBackup } from '../privacy/backup/backup-plan';
import { keyStorePath } from '../privacy/backup/key-store';
import type { Services } from '../services';
import { configOrExit } from '../startup';

type WithServices = <T>(work: (services: Services) => Promise<T>, options?: { readOnly?: boolean }) => Promise<T>;

function databaseUrlOrExit(): string {
  const { config } = configOrExit(process.env);
  if (!config.databaseUrl) {
    console.error('backups need DATABASE_URL: on the embedded database, stop the service and copy the data directory instead');
    process.exit(2);
  }
  return config.databaseUrl;
}

export function addBackupCommands(program: Command, withServices: WithServices): void {
  const backup = program.command('backup').description('backups whose erased subjects stay erased');
  backup.command('create')
    .requiredOption('--out <file>', 'where to write the data dump (SQL)')
    .action(async (options: { out: string }) => {
      const url = databaseUrlOrExit();
      await withServices(async (services) => {
        await createBackup(services, url, options.out);
        console.log(`data dump written to ${options.out} (without data keys)`);
        console.log(`key-store snapshot: ${keyStorePath(services.config.dataDir)} — back it up as one replaced copy, never as history`);
      }, { readOnly: true });
    });
  backup.command('restore')
    .requiredOption('--from <file>', 'a data dump made by `nomina backup create`')
    .option('--keys <file>', 'the current key-store snapshot (default: the one in the data directory)')
    .description('restore into the EMPTY database of DATABASE_URL, then re-erase every subject erased since the dump')
    .action(async (options: { from: string; keys?: string }) => {
      const url = databaseUrlOrExit();
      await restoreDataBackup(url, options.from);
      const result = await withServices((services) =>
        reconcileAfterRestore(services, options.keys ?? keyStorePath(services.config.dataDir)));
      console.log(`restored: ${result.keys} data key(s) loaded, ${result.reErased} erased subject(s) erased again`);
      if (result.withoutKey > 0) console.error(`warning: ${result.withoutKey} contact(s) have no data key in the snapshot`);
    });
}
