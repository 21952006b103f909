import { ACTIVITIES, DATA_CATEGORIES } from '../../src/privacy/register/catalogue';
import { developmentPrivacySettings, type PrivacySettings } from '../../src/privacy/privacy-settings';
import { readmeRegisterMarkdown } from '../../src/privacy/register/render-register';
import { buildSubjectWorld } from './support/subject-world';
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
    const md = readmeRegisterMarkdown();
    for (const a of ACTIVITIES) expect(md).toContain(a.purpose);
    for (const c of DATA_CATEGORIES) expect(md).toContain(c.name);
  });
});

describe('the controller, DPO and sub-processors are the operator’s configuration', () => {
  const configured: PrivacySettings = {
    controller: { name: 'Softwarehuis Voorbeeld NV', address: 'Kunstlaan 1, 1000 Brussel', enterpriseNumber: 'BE 0123.456.789' },
    dpo: { name: 'An Janssens', email: 'dpo@softwarehuis.example' },
    subProcessors: [{ name: 'Hostingbedrijf BV', service: 'servers and backups', location: 'Belgium (EEA)', categories: ['contact_data', 'device_data'] }],
    timeZone: 'Europe/Brussels', placeholders: [],
  };
  let c: Harness;
  beforeAll(async () => { c = await createHarness({ privacy: configured }); });
  afterAll(() => c.close());

  it('shows the configured values in the register (JSON and HTML), none of the placeholders', async () => {
    const res = await c.api.get('/v1/privacy/register').expect(200);
    expect(res.body.controller).toMatchObject({ ...configured.controller, dpo: configured.dpo });
    expect(res.body.subProcessors).toEqual([{ name: 'Hostingbedrijf BV', service: 'servers and backups', location: 'Belgium (EEA)', categories: ['contact_data', 'device_data'] }]);
    const html = (await c.api.get('/v1/privacy/register?format=html').expect(200)).text;
    expect(html).toContain('Softwarehuis Voorbeeld NV');
    expect(html).toContain('dpo@softwarehuis.example');
    expect(JSON.stringify(res.body) + html).not.toMatch(/development placeholder|set here|vendor\.example/i);
  });

  it('shows them in a subject’s export', async () => {
    const world = await buildSubjectWorld(c);
    const dpo = await c.login('privacy_officer');
    const res = await c.api.get(`/v1/privacy/subjects/${world.contactId}/export`).set(c.auth(dpo)).set('X-Purpose', 'access request by letter').expect(200);
    const doc = JSON.parse(res.text);
    expect(doc.howWeUseYourData.controller).toEqual({ name: configured.controller.name, address: configured.controller.address, dpo: configured.dpo });
    expect(doc.howWeUseYourData.subProcessors.map((s: { name: string }) => s.name)).toEqual(['Hostingbedrijf BV']);
  });

  it('marks the development defaults as placeholders, wherever they show', async () => {
    const dev = developmentPrivacySettings();
    expect(dev.controller.name).toMatch(/development placeholder — set NOMINA_CONTROLLER_NAME/);
    const res = await h.api.get('/v1/privacy/register').expect(200);
    expect(res.body.controller.name).toBe(dev.controller.name);
    expect(res.body.subProcessors.every((s: { name: string }) => /development placeholder/.test(s.name))).toBe(true);
  });
});
