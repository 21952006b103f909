/**
 * How the service serves the console (built by npm run build): same origin under /console, a CSP
 * that allows only this origin (no inline script), hashed assets cached for a year, index.html
 * never cached, every console path answered with index.html (the screens route in the browser).
 * And the console's API types are generated from the OpenAPI document: stale types fail here.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { screenDirectory } from '../../src/web/serve-screens';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

describe('GET /console', () => {
  it('serves the built console with a self-only CSP and no caching of index.html', async () => {
    const res = await h.api.get('/console/').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.text).toMatch(/<script type="module" crossorigin src="\/console\/assets\/index-[\w-]+\.js"><\/script>/);
    expect(res.text).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('answers index.html for a screen path, so a reload of /console/licences/… works', async () => {
    const res = await h.api.get('/console/licences/7a1c3a56-3b7e-4b43-9a0e-3b5b4f0c2d11').expect(200);
    expect(res.text).toContain('<div id="root"></div>');
  });

  it('caches hashed assets for a year and answers 404 problem for an unknown asset', async () => {
    const asset = readdirSync(path.join(screenDirectory('console'), 'assets')).find((f) => f.endsWith('.js'))!;
    const res = await h.api.get(`/console/assets/${asset}`).expect(200);
    expect(res.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(res.headers['cache-control']).toMatch(/immutable/);
    const missing = await h.api.get('/console/assets/nope.js').expect(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('web/shared/api-types.ts', () => {
  it('is the one generated from the current OpenAPI document (run npm run web:types after changing a route)', () => {
    const script = path.resolve(__dirname, '../../dist/scripts/generate-web-types.js');
    let failure: string | null = null;
    try {
      execFileSync(process.execPath, [script, '--check'], { cwd: path.resolve(__dirname, '../..'), stdio: 'pipe' });
    } catch (error) {
      failure = String((error as { stderr?: Buffer }).stderr ?? error);
    }
    expect(failure).toBeNull();
    expect(readFileSync(path.resolve(__dirname, '../../web/shared/api-types.ts'), 'utf8')).toContain('"/v1/staff/sessions/current"');
  });
});
