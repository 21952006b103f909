/**
 * What the service and the CLI share at start-up: configuration, logger, database with
 * migrations applied.
 */
import { loadConfig, type Config } from './config';
import { moveKeysIntoVault, openDatabase, type Database } from './db/database';
import { applyMigrations } from './db/migrations';
import { createLogger, logFormatFor, type Logger } from './logger';

export function configOrExit(env: NodeJS.ProcessEnv): { config: Config; notices: string[] } {
  const result = loadConfig(env);
  if (!result.ok) {
    console.error(`Nomina cannot start; fix the configuration:\n${result.problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(78); // EX_CONFIG
  }
  return result;
}

export async function openMigratedDatabase(config: Config, logger: Logger): Promise<Database> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, keyVaultUrl: config.keyVaultUrl, dataDir: config.dataDir, transactionGuard: config.transactionGuard });
  const conn = await db.connect();
  try {
    const report = await applyMigrations(conn);
    for (const warning of report.warnings) logger.warn(warning);
    if (report.applied.length > 0) logger.info({ applied: report.applied }, 'migrations applied');
  } finally {
    await conn.release();
  }
  const moved = await moveKeysIntoVault(db);
  if (moved > 0) logger.info({ keys: moved }, 'data keys moved from the main database into the key vault');
  return db;
}

export function startupLogger(config: Config): Logger {
  return createLogger(config.logLevel, undefined, logFormatFor(config.env, Boolean(process.stdout.isTTY)));
}
