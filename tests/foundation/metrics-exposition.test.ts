/**
 * /metrics as Prometheus sees it: `promtool check metrics` accepts the exposition (run when
 * promtool is installed — CI installs Debian's `prometheus` package), and an operator can require
 * a bearer token for it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHarness, type Harness } from '../support/harness';

const promtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;
if (!promtool) console.warn('promtool is not installed: the promtool check of /metrics is skipped (apt-get install prometheus)');

describe('GET /metrics without a token configured', () => {
  let h: Harness;
  beforeAll(async () => { h = await createHarness(); });
  afterAll(() => h.close());

  it('has no gauge named like a counter', async () => {
    const res = await h.api.get('/metrics').expect(200);
    const gaugesWithTotal = [...res.text.matchAll(/^# TYPE (\S+_total) gauge$/gm)].map((m) => m[1]);
    expect(gaugesWithTotal).toEqual([]);
    expect(res.text).toMatch(/^# TYPE nomina_nodejs_active_handles gauge$/m);
  });

  (promtool ? it : it.skip)('passes promtool check metrics after real traffic', async () => {
    const admin = await h.login('admin');
    await h.api.get('/v1/products').set(h.auth(admin)).expect(200);
    await h.api.post('/v1/validate').send({ key: 'nonsense' });
    const res = await h.api.get('/metrics').expect(200);
    // promtool exits non-zero and names the metric on any problem (lint warnings included).
    const output = execFileSync('promtool', ['check', 'metrics'], { input: res.text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    expect(output).toBe('');
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const token = 'a-metrics-token-of-some-length';
  let h: Harness;
  beforeAll(async () => { h = await createHarness({ metricsToken: token }); });
  afterAll(() => h.close());

  it('refuses a scrape without the token or with another one', async () => {
    const none = await h.api.get('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.text).not.toContain('nomina_http_request_duration_seconds');
    expect((await h.api.get('/metrics').set('Authorization', 'Bearer wrong-token-of-some-length')).status).toBe(401);
  });

  it('answers the scraper that sends it', async () => {
    const res = await h.api.get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.text).toContain('nomina_process_cpu_user_seconds_total');
  });
});
