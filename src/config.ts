/**
 * Configuration: one schema, read once at start-up. Every problem is listed, not just the first,
 * so an operator fixes them in one go. Nothing else in the code reads process.env.
 */
import { z } from 'zod';
import { loadOrCreateDevSecrets, parseSecrets, type Secrets } from './crypto/secrets';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from './webhooks/webhook-settings';
import { readPrivacySettings, type PrivacySettings } from './privacy/privacy-settings';

const optionalString = z.string().trim().min(1).optional();
const DEFAULT_DATA_DIR = './data';

/**
 * Which database a process would open, read before anything else happens: the CLI checks it
 * before loading the rest of the configuration, which in development writes generated secrets into
 * the data directory.
 */
export function databaseTargetOf(env: NodeJS.ProcessEnv): { databaseUrl?: string; dataDir: string } {
  return { databaseUrl: env.DATABASE_URL || undefined, dataDir: env.NOMINA_DATA_DIR || DEFAULT_DATA_DIR };
}

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  NOMINA_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  NOMINA_KEYVAULT_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().trim().min(1).optional(),
  /** where people reach this service (links in e-mails); default http://HOST:PORT */
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.string().default('loopback'),
  STAFF_TOKEN_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  STAFF_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  NOMINA_MASTER_KEYS: optionalString,
  NOMINA_INDEX_KEY: optionalString,
  NOMINA_KEY_PEPPER: optionalString,
  NOMINA_TELEMETRY_KEY: optionalString,
  NOMINA_TOKEN_SECRET: optionalString,
  NOMINA_FRAUD_SIGNALS: z.enum(['on', 'off']).default('on'),
  /** PostgreSQL: refuse a second connection inside a transaction; default on, off when NODE_ENV=production */
  NOMINA_TRANSACTION_GUARD: z.enum(['on', 'off']).optional(),
  /** seconds between webhook attempts after the first (which is immediate); the last one ends the retries */
  NOMINA_WEBHOOK_RETRY_SCHEDULE: z.string().regex(/^\d+(\.\d+)?(,\d+(\.\d+)?)*$/, 'comma-separated seconds, e.g. 5,300,1800').optional(),
  NOMINA_WEBHOOK_DISABLE_AFTER_SECONDS: z.coerce.number().positive().optional(),
  NOMINA_WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().positive().max(60).optional(),
  NOMINA_WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).optional(),
  NOMINA_BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
  NOMINA_BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  // Empty counts as unset: docker compose passes `METRICS_TOKEN: ${METRICS_TOKEN:-}` through as "".
  METRICS_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().min(16, 'must be at least 16 characters (openssl rand -base64 32)').optional()),
});

const SECRET_VARIABLES = ['NOMINA_MASTER_KEYS', 'NOMINA_INDEX_KEY', 'NOMINA_KEY_PEPPER', 'NOMINA_TELEMETRY_KEY', 'NOMINA_TOKEN_SECRET'] as const;

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  databaseUrl?: string;
  /** the key vault's own database (PostgreSQL); default: the main database's name + `_keys` */
  keyVaultUrl?: string;
  dataDir: string;
  redisUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  /** the address people use to reach this service, without a trailing slash (links in e-mails) */
  publicBaseUrl: string;
  logLevel: string;
  trustProxy: string;
  staffTokenTtlSeconds: number;
  /** a console (cookie) session ends after this long without a request; renewed by each request */
  staffSessionIdleSeconds: number;
  secrets: Secrets;
  /** controller, DPO, sub-processors, time zone of deadlines (src/privacy/privacy-settings.ts) */
  privacy: PrivacySettings;
  bootstrapAdmin?: { email: string; password: string };
  /**
   * Check every response body against its route's response schema and fail the request when it
   * differs (the tests turn this on, so the OpenAPI document is proven by every test; off in service).
   */
  checkResponses?: boolean;
  /** when set, GET /metrics wants `Authorization: Bearer <metricsToken>` */
  metricsToken?: string;
  /** fraud signals evaluated after each validation (src/fraud/); absent = on. "off" for benchmarks and incidents */
  fraudSignals?: 'on' | 'off';
  /**
   * PostgreSQL: a query on the base client inside a transaction's callback fails with
   * SecondConnectionError (src/db/transactions.ts). Absent = on. The embedded database always has it.
   */
  transactionGuard?: boolean;
  /** webhook delivery timings; absent fields take the defaults of src/webhooks/webhook-settings.ts */
  webhooks?: Partial<WebhookSettings>;
}

export type ConfigResult =
  | { ok: true; config: Config; notices: string[] }
  | { ok: false; problems: string[] };

/**
 * Reads the configuration from `env`. In development, missing secrets are generated once and
 * stored in the data directory (the returned notices say so); in production they are required.
 */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const problems: string[] = [];
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  const values = parsed.success ? parsed.data : undefined;
  const production = (env.NODE_ENV ?? 'development') === 'production';
  if (production) {
    for (const name of SECRET_VARIABLES) if (!env[name]) problems.push(`${name}: required when NODE_ENV=production`);
    // The sender of every notice to subjects and customers: the operator's address, not ours.
    if (!env.MAIL_FROM?.trim()) problems.push('MAIL_FROM: required when NODE_ENV=production');
  }
  const privacy = readPrivacySettings(env, production);
  problems.push(...privacy.problems);
  if (Boolean(env.NOMINA_BOOTSTRAP_ADMIN_EMAIL) !== Boolean(env.NOMINA_BOOTSTRAP_ADMIN_PASSWORD)) {
    problems.push('NOMINA_BOOTSTRAP_ADMIN_EMAIL and NOMINA_BOOTSTRAP_ADMIN_PASSWORD: set both or neither');
  }
  const secretsResult = parseSecrets({
    masterKeys: env.NOMINA_MASTER_KEYS,
    indexKey: env.NOMINA_INDEX_KEY,
    keyPepper: env.NOMINA_KEY_PEPPER,
    telemetryKey: env.NOMINA_TELEMETRY_KEY,
    tokenSecret: env.NOMINA_TOKEN_SECRET,
  });
  problems.push(...secretsResult.problems);
  const retrySchedule = values?.NOMINA_WEBHOOK_RETRY_SCHEDULE?.split(',').map((s) => Math.round(Number(s) * 1000));
  // At-least-once over at least a day (the issue's promise): only tests and development may compress it.
  if (production && retrySchedule && retrySchedule.reduce((a, b) => a + b, 0) < DEFAULT_WEBHOOK_SETTINGS.disableAfterMs) {
    problems.push('NOMINA_WEBHOOK_RETRY_SCHEDULE: must span at least 24 hours when NODE_ENV=production');
  }
  if (problems.length > 0 || !values || !privacy.settings) return { ok: false, problems };

  const notices: string[] = [];
  let secrets = secretsResult.secrets;
  if (!secrets) {
    const generated = loadOrCreateDevSecrets(values.NOMINA_DATA_DIR, secretsResult.partial);
    secrets = generated.secrets;
    notices.push(generated.created
      ? `development secrets generated and stored in ${generated.path}; set NOMINA_* secrets in production`
      : `development secrets read from ${generated.path}`);
  }
  if (production && !values.METRICS_TOKEN) notices.push('METRICS_TOKEN is not set: /metrics answers anyone who can reach this port');
  if (privacy.settings.placeholders.length > 0 || !values.MAIL_FROM) {
    notices.push(`privacy settings use development placeholders (${[...privacy.settings.placeholders, ...(values.MAIL_FROM ? [] : ['MAIL_FROM'])].join(', ')}); they are required in production`);
  }
  return {
    ok: true,
    notices,
    config: {
      env: values.NODE_ENV,
      host: values.HOST,
      port: values.PORT,
      databaseUrl: values.DATABASE_URL,
      keyVaultUrl: values.NOMINA_KEYVAULT_URL,
      dataDir: values.NOMINA_DATA_DIR,
      redisUrl: values.REDIS_URL,
      smtpUrl: values.SMTP_URL,
      mailFrom: values.MAIL_FROM ?? 'Nomina (development placeholder — set MAIL_FROM) <privacy@nomina.invalid>',
      publicBaseUrl: (values.PUBLIC_BASE_URL ?? `http://${values.HOST}:${values.PORT}`).replace(/\/+$/, ''),
      logLevel: values.LOG_LEVEL,
      trustProxy: values.TRUST_PROXY,
      staffTokenTtlSeconds: values.STAFF_TOKEN_TTL_MINUTES * 60,
      staffSessionIdleSeconds: values.STAFF_SESSION_IDLE_MINUTES * 60,
      secrets,
      privacy: privacy.settings,
      fraudSignals: values.NOMINA_FRAUD_SIGNALS,
      // Off in production by default: on Node 20 it makes every promise pay a hook (transactions.ts).
      transactionGuard: (values.NOMINA_TRANSACTION_GUARD ?? (production ? 'off' : 'on')) === 'on',
      metricsToken: values.METRICS_TOKEN,
      webhooks: {
        ...(retrySchedule ? { retryScheduleMs: retrySchedule } : {}),
        ...(values.NOMINA_WEBHOOK_DISABLE_AFTER_SECONDS ? { disableAfterMs: values.NOMINA_WEBHOOK_DISABLE_AFTER_SECONDS * 1000 } : {}),
        ...(values.NOMINA_WEBHOOK_TIMEOUT_SECONDS ? { timeoutMs: values.NOMINA_WEBHOOK_TIMEOUT_SECONDS * 1000 } : {}),
        ...(values.NOMINA_WEBHOOK_POLL_MS ? { pollMs: values.NOMINA_WEBHOOK_POLL_MS } : {}),
      },
      bootstrapAdmin: values.NOMINA_BOOTSTRAP_ADMIN_EMAIL && values.NOMINA_BOOTSTRAP_ADMIN_PASSWORD
        ? { email: values.NOMINA_BOOTSTRAP_ADMIN_EMAIL, password: values.NOMINA_BOOTSTRAP_ADMIN_PASSWORD }
        : undefined,
    },
  };
}
