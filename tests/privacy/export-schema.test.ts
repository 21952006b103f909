/**
 * The export format is published: a JSON Schema served by the API and referenced from
 * /openapi.json, and real exports (a subject with data in every store, and after a breach
 * notice) validate against it with ajv.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { EXPORT_SCHEMA_ID } from '../../src/privacy/export/export-schema';
import { SUBJECT_DATA_STORES } from '../../src/privacy/stores';
import { createHarness, type Harness } from '../support/harness';
import { buildSubjectWorld } from './support/subject-world';

let h: Harness;
// Its own data directory: the breach notice below goes to the outbox when no SMTP server is set.
beforeAll(async () => { h = await createHarness({ dataDir: mkdtempSync(path.join(tmpdir(), 'nomina-schema-')) }); });
afterAll(() => h.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function compile(schema: object) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addFormat('date-time', { type: 'string', validate: (v: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)) });
  ajv.addFormat('uuid', UUID);
  return ajv.compile(schema);
}

describe('GET /v1/privacy/export-schema', () => {
  it('serves a versioned JSON Schema, public, and /openapi.json references it from the export routes', async () => {
    const res = await h.api.get('/v1/privacy/export-schema').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/schema\+json/);
    const schema = JSON.parse(res.text);
    expect(schema).toMatchObject({ $id: EXPORT_SCHEMA_ID, properties: { format: { const: 'nomina.subject-export' }, version: { const: 1 } } });
    // Every store of the export is described.
    expect(Object.keys(schema.properties.data.properties).sort()).toEqual(SUBJECT_DATA_STORES.map((s) => s.name).sort());
    await h.api.get('/v1/privacy/export-schema?version=1').expect(200);
    expect((await h.api.get('/v1/privacy/export-schema?version=2')).status).toBe(404);
    expect((await h.api.get('/v1/privacy/export-schema?version=x')).status).toBe(400);

    const openapi = (await h.api.get('/openapi.json').expect(200)).body;
    expect(openapi.components.schemas.SubjectExport.$id).toBe(EXPORT_SCHEMA_ID);
    const ref = { $ref: '#/components/schemas/SubjectExport' };
    expect(openapi.paths['/v1/privacy/me/export'].get.responses[200].content['application/json'].schema).toEqual(ref);
    expect(openapi.paths['/v1/privacy/subjects/{contactId}/export'].get.responses[200].content['application/json'].schema).toEqual(ref);
    expect(openapi.paths['/v1/privacy/export-schema'].get).toBeDefined();
  });

  it('validates a real export of a subject with data in every store', async () => {
    const schema = JSON.parse((await h.api.get('/v1/privacy/export-schema')).text);
    const validate = compile(schema);
    const world = await buildSubjectWorld(h);
    const dpo = await h.login('privacy_officer');
    // A breach notice, so the breach_notices store has both kinds of item.
    await h.api.post('/v1/breaches').set(h.auth(dpo)).send({
      title: 'Test', description: 'x', awareAt: new Date().toISOString(), categories: ['contact_data'], approxSubjects: 1, approxRecords: 1,
      measures: 'y', risk: 'high', affectedSubjectIds: [world.contactId],
    }).expect(201);
    await h.api.post('/v1/privacy/requests').set(h.auth(dpo)).send({ contactId: world.contactId, type: 'access', channel: 'letter', identityMethod: 'signed letter, ID copy' }).expect(201);
    const doc = JSON.parse((await h.api.get(`/v1/privacy/subjects/${world.contactId}/export`).set(h.auth(dpo)).set('X-Purpose', 'schema test').expect(200)).text);
    for (const [store, { items }] of Object.entries(doc.data as Record<string, { items: unknown[] }>)) {
      if (!['verification_codes', 'erasure_jobs', 'restriction_exceptions'].includes(store)) expect({ store, some: items.length > 0 }).toEqual({ store, some: true });
    }
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // And the schema is not vacuous: a wrong field type in a store's item fails.
    const broken = structuredClone(doc);
    broken.data.devices.items[0].firstSeenAt = 42;
    broken.data.contact.items[0].id = 'not-a-uuid';
    expect(validate(broken)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath).sort()).toEqual(['/data/contact/items/0/id', '/data/devices/items/0/firstSeenAt']);
  });
});
