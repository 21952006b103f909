import { randomBytes } from 'node:crypto';
import type { Config } from '../../src/config';
import { developmentPrivacySettings } from '../../src/privacy/privacy-settings';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    env: 'test', host: '127.0.0.1', port: 0, dataDir: './data-test', mailFrom: 'Nomina <privacy@nomina.test>', publicBaseUrl: 'http://privacy.nomina.test',
    logLevel: 'silent', trustProxy: 'loopback', staffTokenTtlSeconds: 900, staffSessionIdleSeconds: 1800, checkResponses: true,
    secrets: {
      masterKeys: [{ id: 'k1', key: randomBytes(32) }],
      indexKey: randomBytes(32), keyPepper: randomBytes(32), telemetryKey: randomBytes(32), tokenSecret: randomBytes(32),
    },
    privacy: developmentPrivacySettings(),
    ...overrides,
  };
}
