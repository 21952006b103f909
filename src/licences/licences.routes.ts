import { IdParams, page } from '../http/common-schemas';
import { defineRoute, staffOnly } from '../http/route';
import { notFound } from '../http/problem';
import { viewFor } from '../staff/personal-data-view';
import { DEVICE_FIELDS, holderOpener, maskAccount } from '../devices/device-crypto';
import { changeLicenceStatus, type StatusAction } from './change-licence-status';
import { rotateLicenceKey } from './rotate-licence-key';
import { issueLicence } from './issue-licence';
import { IssueLicenceBody, LicenceActionBody, LicenceListQuery } from './licences.schemas';
import { LICENCE_INCLUDE, presentLicence } from './present-licence';
import { listLicences } from './search-licences';
import { assertProcessingAllowed, assertViewAllowed } from '../privacy/restriction/processing-restriction';
import type { StaffPrincipal } from '../http/route';
import type { Services } from '../services';

const READERS = ['support', 'admin', 'privacy_officer'] as const;
const WRITERS = ['support', 'admin'] as const;
// A key is shown once: never let a cache keep it.
const NO_STORE = { 'Cache-Control': 'no-store' };

const statusAction = (action: StatusAction) => defineRoute({
  method: 'post', path: `/v1/licences/:id/actions/${action}`, tag: 'licences', access: staffOnly(...WRITERS), params: IdParams, body: LicenceActionBody,
  summary: `${action[0].toUpperCase()}${action.slice(1)} a licence (audited with the reason)`,
  async handler({ services, params, body, staff, purpose, requestId }) {
    await assertLicenceChangeAllowed(services, staff, params.id);
    const licence = await changeLicenceStatus(services, params.id, action, body.reason ?? null, { type: 'staff', id: staff.id }, requestId, purpose);
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
    method: 'post', path: '/v1/licences', tag: 'licences', access: staffOnly(...WRITERS), body: IssueLicenceBody,
    summary: 'Issue a licence to a holder; the response carries the key, shown this once (the holder masked for support without X-Purpose)',
    response: { status: 201, description: 'issued' },
    async handler({ services, body, staff, purpose, requestId }) {
      await assertProcessingAllowed(services, services.prisma, staff, body.holderId, 'change');
      const { licence, key } = await issueLicence(services, body, { type: 'staff', id: staff.id }, requestId, purpose);
      // The holder is chosen by id (from a masked list): without a purpose, issuing must not unmask them.
      return { status: 201, headers: NO_STORE, body: { ...(await presentLicence(services, licence, viewFor(staff, purpose, 'one'))), key } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/licences', tag: 'licences', access: staffOnly(...READERS), query: LicenceListQuery,
    summary: 'List or search licences (`q`: key, holder e-mail, organisation, PC name, NT account); holders masked for support',
    async handler({ services, query, staff, purpose, requestId }) {
      const licences = await listLicences(services, query);
      const view = viewFor(staff, purpose, 'list');
      // Each holder whose data is shown gets an entry, so their export lists who looked and why.
      const holders = [...new Set(licences.map((l) => l.holderId))];
      if (holders.length > 0) {
        await services.prisma.$transaction(async (tx) => {
          for (const holderId of holders) {
            await services.audit.record({ actor: { type: 'staff', id: staff.id }, action: 'licence.list', subjectId: holderId, resource: { type: 'contact', id: holderId }, purpose, requestId, details: { view, search: Boolean(query.q) } }, tx);
          }
        });
      }
      const items = await Promise.all(licences.map((l) => presentLicence(services, l, view)));
      return { body: page(items, query.limit) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/licences/:id', tag: 'licences', access: staffOnly(...READERS), params: IdParams,
    summary: 'Get one licence with its bound NT accounts; support sees personal data only with an X-Purpose header (audited)',
    async handler({ services, params, staff, purpose, requestId }) {
      const licence = await services.prisma.licence.findUnique({ where: { id: params.id }, include: { ...LICENCE_INCLUDE, users: { orderBy: { boundAt: 'asc' } } } });
      if (!licence) throw notFound('licence');
      const view = viewFor(staff, purpose, 'one');
      await assertViewAllowed(services, staff, licence.holderId, view);
      await services.audit.record({ actor: { type: 'staff', id: staff.id }, action: 'licence.read', subjectId: licence.holderId, resource: { type: 'licence', id: licence.id }, purpose, requestId, details: { view } });
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
    method: 'post', path: '/v1/licences/:id/actions/rotate-key', tag: 'licences', access: staffOnly(...WRITERS), params: IdParams, body: LicenceActionBody,
    summary: 'Replace the key (the old one stops working at once); the new key is shown this once',
    async handler({ services, params, body, staff, purpose, requestId }) {
      await assertLicenceChangeAllowed(services, staff, params.id);
      const { licence, key } = await rotateLicenceKey(services, params.id, body.reason ?? null, { type: 'staff', id: staff.id }, requestId, purpose);
      return { headers: NO_STORE, body: { ...(await presentLicence(services, licence, viewFor(staff, purpose, 'one'))), key } };
    },
  }),
];

