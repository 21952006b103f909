import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';

const key = () => Buffer.alloc(32, 7).toString('base64');

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
      NOMINA_KEY_PEPPER: key(), NOMINA_TELEMETRY_KEY: key(), NOMINA_TOKEN_SECRET: key(),
    };
    const set = loadConfig({ ...production, METRICS_TOKEN: 'a-token-of-sixteen-or-more' });
    expect(set.ok && set.config.metricsToken).toBe('a-token-of-sixteen-or-more');
    expect(set.ok && set.notices).toEqual([]);
    const empty = loadConfig({ ...production, METRICS_TOKEN: '' });
    expect(empty.ok && empty.config.metricsToken).toBeUndefined();
    const short = loadConfig({ ...production, METRICS_TOKEN: 'short' });
    expect(short.ok ? [] : short.problems.join('\n')).toContain('METRICS_TOKEN: must be at least 16 characters');
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
