import { ACTIVITIES, DATA_CATEGORIES } from '../../src/privacy/register/catalogue';
import { renderRegisterMarkdown } from '../../src/privacy/register/render-register';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

describe('GET /v1/privacy/register', () => {
  it('serves the catalogue as JSON: controller and DPO, purposes with legal bases, categories, sub-processors, no transfers outside the EEA, retention, security', async () => {
    const res = await h.api.get('/v1/privacy/register').expect(200);
    expect(res.body.controller.dpo.email).toMatch(/@/);
    expect(res.body.activities).toHaveLength(ACTIVITIES.length);
    for (const a of res.body.activities) expect(a).toEqual(expect.objectContaining({ purpose: expect.any(String), legalBasis: expect.any(String), retention: expect.any(String) }));
    expect(res.body.transfers.outsideEea).toBe(false);
    expect(res.body.subProcessors.every((s: { location: string }) => s.location === 'European Economic Area')).toBe(true);
    expect(res.body.securityMeasures.length).toBeGreaterThan(4);
  });

  it('serves readable HTML by content negotiation or ?format=html, from the same catalogue', async () => {
    const negotiated = await h.api.get('/v1/privacy/register').set('Accept', 'text/html').expect(200);
    expect(negotiated.headers['content-type']).toMatch(/^text\/html/);
    const html = (await h.api.get('/v1/privacy/register?format=html').expect(200)).text;
    for (const a of ACTIVITIES) expect(html).toContain(a.purpose.replace(/&/g, '&amp;').replace(/'/g, '&#39;'));
    expect(html).toContain('<h1>Register of processing activities');
  });

  it('feeds the README section with the same purposes and categories', () => {
    const md = renderRegisterMarkdown();
    for (const a of ACTIVITIES) expect(md).toContain(a.purpose);
    for (const c of DATA_CATEGORIES) expect(md).toContain(c.name);
  });
});
