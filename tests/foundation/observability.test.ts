import { createHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

describe('observability', () => {
  it('answers /healthz and /readyz', async () => {
    await h.api.get('/healthz').expect(200, { status: 'ok' });
    await h.api.get('/readyz').expect(200, { status: 'ready', database: 'postgres', rateLimits: 'memory' });
  });

  it('reports not ready when a migration is missing', async () => {
    await h.services.prisma.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET finished_at = NULL, rolled_back_at = now()`);
    const res = await h.api.get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('UNAVAILABLE');
    await h.services.prisma.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET finished_at = now(), rolled_back_at = NULL`);
  });

  it('exposes default metrics and request durations by route template, never by raw URL', async () => {
    await h.api.get('/v1/products/00000000-0000-4000-8000-000000000001').set(h.auth(await h.login('admin')));
    const res = await h.api.get('/metrics').expect(200);
    expect(res.text).toContain('nomina_process_cpu_user_seconds_total');
    expect(res.text).toMatch(/nomina_http_request_duration_seconds_count\{method="GET",route="\/v1\/products\/:id",status="404"\} 1/);
    expect(res.text).not.toContain('00000000-0000-4000-8000-000000000001');
  });
});
