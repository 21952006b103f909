import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';

const key = () => Buffer.alloc(32, 7).toString('base64');

const SUB_PROCESSORS = [{ name: 'Hosting NV', service: 'servers', location: 'Belgium (EEA)', categories: ['contact_data'] }];
const PRIVACY_ENV = {
  NOMINA_CONTROLLER_NAME: 'Softwarehuis NV', NOMINA_CONTROLLER_ADDRESS: 'Kunstlaan 1, 1000 Brussel', NOMINA_CONTROLLER_ENTERPRISE_NUMBER: 'BE 0123.456.789',
  NOMINA_DPO_NAME: 'An Janssens', NOMINA_DPO_EMAIL: 'dpo@softwarehuis.example', NOMINA_SUB_PROCESSORS: JSON.stringify(SUB_PROCESSORS),
  MAIL_FROM: 'Softwarehuis privacy <privacy@softwarehuis.example>',
};

describe('configuration', () => {
  it('lists every problem at once', () => {
    const result = loadConfig({ NODE_ENV: 'production', PORT: 'eighty', DATABASE_URL: 'mysql://x', NOMINA_INDEX_KEY: 'short', NOMINA_BOOTSTRAP_ADMIN_EMAIL: 'a@b.be' });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.join('\n');
    for (const expected of ['PORT', 'DATABASE_URL', 'NOMINA_MASTER_KEYS: required', 'NOMINA_KEY_PEPPER: required', 'NOMINA_INDEX_KEY: expected 32 random bytes', 'set both or neither']) {
      expect(problems).toContain(expected);
    }
  });

  it('requires secrets in production and accepts them when given', () => {
    const result = loadConfig({
      NODE_ENV: 'production', NOMINA_MASTER_KEYS: `2026a:${key()},2025b:${key()}`, NOMINA_INDEX_KEY: key(),
      NOMINA_KEY_PEPPER: key(), NOMINA_TELEMETRY_KEY: key(), NOMINA_TOKEN_SECRET: key(), DATABASE_URL: 'postgres://u@db:5432/nomina',
      ...PRIVACY_ENV,
    });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.config.secrets.masterKeys.map((k) => k.id)).toEqual(['2026a', '2025b']);
      expect(result.notices).toEqual(['METRICS_TOKEN is not set: /metrics answers anyone who can reach this port']);
    }
  });

  it('takes METRICS_TOKEN for /metrics, treats an empty one as unset and refuses a short one', () => {
    const production = {
      NODE_ENV: 'production', NOMINA_MASTER_KEYS: `k:${key()}`, NOMINA_INDEX_KEY: key(),
      NOMINA_KEY_PEPPER: key(), NOMINA_TELEMETRY_KEY: key(), NOMINA_TOKEN_SECRET: key(), ...PRIVACY_ENV,
    };
    const set = loadConfig({ ...production, METRICS_TOKEN: 'a-token-of-sixteen-or-more' });
    expect(set.ok && set.config.metricsToken).toBe('a-token-of-sixteen-or-more');
    expect(set.ok && set.notices).toEqual([]);
    const empty = loadConfig({ ...production, METRICS_TOKEN: '' });
    expect(empty.ok && empty.config.metricsToken).toBeUndefined();
    const short = loadConfig({ ...production, METRICS_TOKEN: 'short' });
    expect(short.ok ? [] : short.problems.join('\n')).toContain('METRICS_TOKEN: must be at least 16 characters');
  });

  it('turns the transaction guard off by default in production only, and lets NOMINA_TRANSACTION_GUARD decide', () => {
    const secrets = { NOMINA_MASTER_KEYS: `k:${key()}`, NOMINA_INDEX_KEY: key(), NOMINA_KEY_PEPPER: key(), NOMINA_TELEMETRY_KEY: key(), NOMINA_TOKEN_SECRET: key(), ...PRIVACY_ENV };
    const guard = (env: NodeJS.ProcessEnv) => {
      const result = loadConfig({ ...secrets, ...env });
      if (!result.ok) throw new Error(result.problems.join('\n'));
      return result.config.transactionGuard;
    };
    expect(guard({ NODE_ENV: 'production' })).toBe(false);
    expect(guard({ NODE_ENV: 'development' })).toBe(true);
    expect(guard({ NODE_ENV: 'test' })).toBe(true);
    expect(guard({ NODE_ENV: 'production', NOMINA_TRANSACTION_GUARD: 'on' })).toBe(true);
    expect(guard({ NODE_ENV: 'development', NOMINA_TRANSACTION_GUARD: 'off' })).toBe(false);
    const wrong = loadConfig({ ...secrets, NOMINA_TRANSACTION_GUARD: 'maybe' });
    expect(wrong.ok ? '' : wrong.problems.join('\n')).toContain('NOMINA_TRANSACTION_GUARD');
  });

  it('refuses to start in production while the controller, DPO, sub-processors or mail sender is unset, listing each', () => {
    const result = loadConfig({ NODE_ENV: 'production', NOMINA_DPO_EMAIL: 'not-an-address', NOMINA_TIME_ZONE: 'Europe/Atlantis' });
    const problems = result.ok ? '' : result.problems.join('\n');
    for (const variable of ['NOMINA_CONTROLLER_NAME', 'NOMINA_CONTROLLER_ADDRESS', 'NOMINA_CONTROLLER_ENTERPRISE_NUMBER', 'NOMINA_DPO_NAME', 'NOMINA_SUB_PROCESSORS', 'MAIL_FROM']) {
      expect(problems).toContain(`${variable}: required when NODE_ENV=production`);
    }
    expect(problems).toContain('NOMINA_DPO_EMAIL: expected an e-mail address');
    expect(problems).toContain('NOMINA_TIME_ZONE: unknown time zone');
  });

  it('reads the privacy settings from the environment or from a JSON file, the environment winning', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nomina-privacy-'));
    const file = path.join(dir, 'privacy.json');
    writeFileSync(file, JSON.stringify({
      controller: { name: 'From the file NV', address: 'Meir 1, 2000 Antwerpen', enterpriseNumber: 'BE 0987.654.321' },
      dpo: { name: 'Jan Dpo', email: 'dpo@file.example' }, subProcessors: SUB_PROCESSORS, timeZone: 'Europe/Amsterdam',
    }));
    const result = loadConfig({ NOMINA_DATA_DIR: dir, NOMINA_PRIVACY_CONFIG: file, NOMINA_DPO_EMAIL: 'dpo@env.example' });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.privacy).toMatchObject({
      controller: { name: 'From the file NV', enterpriseNumber: 'BE 0987.654.321' }, dpo: { name: 'Jan Dpo', email: 'dpo@env.example' },
      subProcessors: SUB_PROCESSORS, timeZone: 'Europe/Amsterdam', placeholders: [],
    });
    writeFileSync(file, JSON.stringify({ subProcessors: [{ name: 'x', categories: ['not_a_category'] }] }));
    const bad = loadConfig({ NOMINA_DATA_DIR: dir, NOMINA_PRIVACY_CONFIG: file });
    expect(bad.ok ? '' : bad.problems.join('\n')).toMatch(/NOMINA_PRIVACY_CONFIG subProcessors\.0\.(service|categories)/);
  });

  it('fills what is unset in development with marked placeholders, and says so', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nomina-config-'));
    const result = loadConfig({ NOMINA_DATA_DIR: dir });
    if (!result.ok) throw new Error('expected a valid configuration');
    expect(result.config.privacy.controller.name).toMatch(/development placeholder/);
    expect(result.config.mailFrom).toMatch(/development placeholder/);
    expect(result.config.privacy.timeZone).toBe('Europe/Brussels');
    expect(result.notices.join('\n')).toMatch(/development placeholders \(NOMINA_CONTROLLER_NAME, .*MAIL_FROM\)/);
  });

  it('generates development secrets once, stores them privately, and says so', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nomina-config-'));
    const first = loadConfig({ NOMINA_DATA_DIR: dir });
    const second = loadConfig({ NOMINA_DATA_DIR: dir });
    if (!first.ok || !second.ok) throw new Error('expected a valid configuration');
    expect(first.notices[0]).toMatch(/generated and stored in .*secrets\.json/);
    expect(second.notices[0]).toMatch(/read from/);
    expect(second.config.secrets.indexKey.equals(first.config.secrets.indexKey)).toBe(true);
    const file = path.join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.notices.join('')).not.toContain(JSON.parse(readFileSync(file, 'utf8')).indexKey);
  });
});
