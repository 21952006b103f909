import { IdParams, page, pageOf } from '../http/common-schemas';
import { defineRoute, orApiKey, staffOnly } from '../http/route';
import { notFound } from '../http/problem';
import { viewFor } from '../staff/personal-data-view';
import { DEVICE_FIELDS, holderOpener, maskAccount } from '../devices/device-crypto';
import { changeLicenceStatus, type StatusAction } from './change-licence-status';
import { rotateLicenceKey } from './rotate-licence-key';
import { issueLicence } from './issue-licence';
import { IssueLicenceBody, LicenceActionBody, LicenceListQuery } from './licences.schemas';
import { LICENCE_INCLUDE, LicenceDetailView, LicenceView, LicenceWithKeyView, presentLicence } from './present-licence';
import { listLicences } from './search-licences';
import { assertProcessingAllowed, assertViewAllowed } from '../privacy/restriction/processing-restriction';
import type { StaffPrincipal } from '../http/route';
import type { Services } from '../services';

const READERS = ['support', 'admin', 'privacy_officer'] as const;
const WRITERS = ['support', 'admin'] as const;
// A key is shown once: never let a cache keep it.
const NO_STORE = { 'Cache-Control': 'no-store' };

const statusAction = (action: StatusAction) => defineRoute({
  method: 'post', path: `/v1/licences/:id/actions/${action}`, tag: 'licences', access: orApiKey(staffOnly(...WRITERS), 'licences:write'), params: IdParams, body: LicenceActionBody,
  summary: `${action[0].toUpperCase()}${action.slice(1)} a licence (audited with the reason)`,
  response: { status: 200, description: 'the licence in its new state', schema: LicenceView }, readsPersonalData: true, problems: ['CONFLICT', 'PROCESSING_RESTRICTED'],
  async handler({ services, params, body, staff, purpose, requestId }) {
    await assertLicenceChangeAllowed(services, staff, params.id);
    const licence = await changeLicenceStatus(services, params.id, action, body.reason ?? null, staff.actor, requestId, purpose);
    return { body: await presentLicence(services, licence, viewFor(staff, purpose, 'one')) };
  },
});

/** Changing a licence is processing its holder's data: refused while they restricted it. */
async function assertLicenceChangeAllowed(services: Services, staff: StaffPrincipal, licenceId: string): Promise<void> {
  const licence = await services.prisma.licence.findUnique({ where: { id: licenceId }, select: { holderId: true } });
  if (licence) await assertProcessingAllowed(services, services.prisma, staff, licence.holderId, 'change');
}

export const licenceRoutes = [
  defineRoute({
    method: 'post', path: '/v1/licences', tag: 'licences', access: orApiKey(staffOnly(...WRITERS), 'licences:write'), body: IssueLicenceBody,
    response: { status: 201, description: 'the licence with its key, shown this once (Cache-Control: no-store)', schema: LicenceWithKeyView, example: { id: '6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d', key: 'ACME-7KQ2M-XH4TB-9RZ3W-C8NDF-4PJ6W', keyLast4: 'PJ6W', productId: '0b7c1c3e-5d2a-4f4e-9a51-2f0a3f6d9e10', productCode: 'ACME', policyId: '5f3e2d1c-0b9a-4876-9543-210fedcba987', customerId: '8d6f7a52-3c1b-4e9d-a0f2-7b5c4d3e2f10', holder: { id: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c', firstName: 'Jan', lastName: 'Peeters', email: 'jan.peeters@contoso.example', erased: false }, status: 'active', statusReason: null, validFrom: '2026-12-01T09:00:00.000Z', validUntil: '2027-12-01T09:00:00.000Z', entitlements: ['export-pdf'], extraEntitlements: [], view: 'full', createdAt: '2026-12-01T09:00:00.000Z', updatedAt: '2026-12-01T09:00:00.000Z' } },
    example: { policyId: '5f3e2d1c-0b9a-4876-9543-210fedcba987', holderId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c' },
    readsPersonalData: true, problems: ['PROCESSING_RESTRICTED', 'CONFLICT'],
    summary: 'Issue a licence to a holder; the response carries the key, shown this once (the holder masked for support without X-Purpose; 409 CONFLICT for a closed customer)',
    async handler({ services, body, staff, purpose, requestId }) {
      await assertProcessingAllowed(services, services.prisma, staff, body.holderId, 'change');
      const { licence, key } = await issueLicence(services, body, staff.actor, requestId, purpose);
      // The holder is chosen by id (from a masked list): without a purpose, issuing must not unmask them.
      return { status: 201, headers: NO_STORE, body: { ...(await presentLicence(services, licence, viewFor(staff, purpose, 'one'))), key } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/licences', tag: 'licences', access: orApiKey(staffOnly(...READERS), 'licences:read'), query: LicenceListQuery,
    response: { status: 200, description: 'a page of licences, holders masked for support', schema: pageOf(LicenceView) }, readsPersonalData: true,
    summary: 'List or search licences (`q`: key or its last 4 characters, holder name, holder e-mail, organisation, PC name, NT account); holders masked for support',
    async handler({ services, query, staff, purpose, requestId }) {
      const licences = await listLicences(services, query);
      const view = viewFor(staff, purpose, 'list');
      // Each holder whose data is shown gets an entry, so their export lists who looked and why.
      const holders = [...new Set(licences.map((l) => l.holderId))];
      if (holders.length > 0) {
        await services.prisma.$transaction(async (tx) => {
          for (const holderId of holders) {
            await services.audit.record({ actor: staff.actor, action: 'licence.list', subjectId: holderId, resource: { type: 'contact', id: holderId }, purpose, requestId, details: { view, search: Boolean(query.q) } }, tx);
          }
        });
      }
      const items = await Promise.all(licences.map((l) => presentLicence(services, l, view)));
      return { body: page(items, query.limit) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/licences/:id', tag: 'licences', access: orApiKey(staffOnly(...READERS), 'licences:read'), params: IdParams,
    response: { status: 200, description: 'the licence and its bound NT accounts', schema: LicenceDetailView }, readsPersonalData: true, problems: ['PROCESSING_RESTRICTED'],
    summary: 'Get one licence with its bound NT accounts; support sees personal data only with an X-Purpose header (audited)',
    async handler({ services, params, staff, purpose, requestId }) {
      const licence = await services.prisma.licence.findUnique({ where: { id: params.id }, include: { ...LICENCE_INCLUDE, users: { orderBy: { boundAt: 'asc' } } } });
      if (!licence) throw notFound('licence');
      const view = viewFor(staff, purpose, 'one');
      await assertViewAllowed(services, staff, licence.holderId, view);
      await services.audit.record({ actor: staff.actor, action: 'licence.read', subjectId: licence.holderId, resource: { type: 'licence', id: licence.id }, purpose, requestId, details: { view } });
      const open = await holderOpener(services, licence.holderId);
      const users = licence.users.map((u) => {
        const account = open(DEVICE_FIELDS.boundAccount, u.ntAccountEnc);
        return { id: u.id, ntAccount: view === 'full' ? account : maskAccount(account), boundAt: u.boundAt.toISOString() };
      });
      return { body: { ...(await presentLicence(services, licence, view)), users } };
    },
  }),
  statusAction('suspend'),
  statusAction('reinstate'),
  statusAction('revoke'),
  defineRoute({
    method: 'post', path: '/v1/licences/:id/actions/rotate-key', tag: 'licences', access: orApiKey(staffOnly(...WRITERS), 'licences:write'), params: IdParams, body: LicenceActionBody,
    response: { status: 200, description: 'the licence with its new key, shown this once', schema: LicenceWithKeyView }, readsPersonalData: true, problems: ['PROCESSING_RESTRICTED'],
    summary: 'Replace the key (the old one stops working at once); the new key is shown this once',
    async handler({ services, params, body, staff, purpose, requestId }) {
      await assertLicenceChangeAllowed(services, staff, params.id);
      const { licence, key } = await rotateLicenceKey(services, params.id, body.reason ?? null, staff.actor, requestId, purpose);
      return { headers: NO_STORE, body: { ...(await presentLicence(services, licence, viewFor(staff, purpose, 'one'))), key } };
    },
  }),
];

