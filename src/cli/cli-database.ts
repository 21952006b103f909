/**
 * Which database a CLI command opens, checked and said before the command does anything (before
 * it asks for a password, before the configuration writes development secrets): the CLI once
 * verified an empty database it had just created in ./data and reported "audit chain intact".
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { databaseTargetOf } from '../config';
import { dataDirHolder } from '../db/data-dir-lock';

export interface CliDatabaseOptions {
  /** the command only reads: it must not create an empty embedded database */
  readOnly?: boolean;
  /** what to do instead while the service holds the embedded database */
  whileServiceRuns?: string;
}

export class CliRefusal extends Error {}

/** Where the database is, for a person: never the password of a PostgreSQL URL. */
export function describeDatabase(target: { databaseUrl?: string; dataDir: string }): string {
  if (!target.databaseUrl) return `embedded PostgreSQL in ${path.resolve(target.dataDir)}`;
  try {
    const url = new URL(target.databaseUrl);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
    const user = url.username ? ` as ${decodeURIComponent(url.username)}` : '';
    return `PostgreSQL ${url.hostname || 'localhost'}:${url.port || '5432'}/${database}${user}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL is not a valid URL)';
  }
}

/** Refuses what the command must not do; returns the line saying which database it will open. */
export function checkCliDatabase(env: NodeJS.ProcessEnv, options: CliDatabaseOptions = {}): string {
  const target = databaseTargetOf(env);
  const description = describeDatabase(target);
  if (target.databaseUrl) return `database: ${description}`;
  const dir = path.resolve(target.dataDir);
  if (options.readOnly && !existsSync(path.join(dir, 'pgdata', 'PG_VERSION'))) {
    throw new CliRefusal(
      `no embedded database in ${dir}: this command only reads, so it will not create an empty one. `
      + 'Set NOMINA_DATA_DIR to the data directory the service uses (or DATABASE_URL for PostgreSQL).',
    );
  }
  const holder = dataDirHolder(dir);
  if (holder !== null) {
    throw new CliRefusal(
      `the service (process ${holder}) has the embedded database in ${dir} open, and only one process at a time may. `
      + `Stop it (Ctrl+C where it runs, or kill ${holder}) and run this command again`
      + (options.whileServiceRuns ? `, or, with the service running: ${options.whileServiceRuns}` : '') + '.',
    );
  }
  return `database: ${description}`;
}
