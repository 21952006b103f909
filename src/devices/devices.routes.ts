import { IdParams, listOf } from '../http/common-schemas';
import { licenceTokenOf } from '../http/authenticate';
import { AppError, notFound } from '../http/problem';
import { defineRoute, orApiKey, staffOnly } from '../http/route';
import { DeviceParams, StaffReleaseBody } from '../licences/licences.schemas';
import { viewFor } from '../staff/personal-data-view';
import { DeviceView, presentDevices } from './present-device';
import { releaseDevice } from './release-device';
import { assertProcessingAllowed, assertViewAllowed } from '../privacy/restriction/processing-restriction';

const READERS = ['support', 'admin', 'privacy_officer'] as const;

export const deviceRoutes = [
  defineRoute({
    method: 'get', path: '/v1/licences/:id/devices', tag: 'devices', access: orApiKey(staffOnly(...READERS), 'licences:read'), params: IdParams,
    response: { status: 200, description: 'the devices, oldest first', schema: listOf(DeviceView) }, readsPersonalData: true, problems: ['PROCESSING_RESTRICTED'],
    summary: "A licence's devices, released ones included; support sees identifiers only with an X-Purpose header (audited)",
    async handler({ services, params, staff, purpose, requestId }) {
      const licence = await services.prisma.licence.findUnique({ where: { id: params.id }, select: { id: true, holderId: true } });
      if (!licence) throw notFound('licence');
      const devices = await services.prisma.device.findMany({ where: { licenceId: licence.id }, include: { macs: { orderBy: { firstSeenAt: 'asc' } } }, orderBy: { firstSeenAt: 'asc' } });
      const view = viewFor(staff, purpose, 'one');
      await assertViewAllowed(services, staff, licence.holderId, view);
      await services.audit.record({ actor: staff.actor, action: 'licence.devices.read', subjectId: licence.holderId, resource: { type: 'licence', id: licence.id }, purpose, requestId, details: { view } });
      return { body: { items: await presentDevices(services, licence.holderId, devices, view) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/licences/:id/devices/:deviceId/actions/release', tag: 'devices', access: orApiKey(staffOnly('support', 'admin'), 'devices:write'),
    response: { status: 200, description: 'the released device', schema: DeviceView }, readsPersonalData: true, problems: ['TRANSFER_BUDGET_EXHAUSTED', 'PROCESSING_RESTRICTED'],
    params: DeviceParams, body: StaffReleaseBody,
    summary: "Release a device (frees its seat); `overrideTransferBudget` goes beyond the policy's transfer budget (audited)",
    async handler({ services, params, body, staff, purpose, requestId }) {
      const owner = await services.prisma.licence.findUnique({ where: { id: params.id }, select: { holderId: true } });
      if (owner) await assertProcessingAllowed(services, services.prisma, staff, owner.holderId, 'change');
      const { device, holderId, changed } = await releaseDevice(services, {
        licenceId: params.id, deviceId: params.deviceId, by: staff.kind === 'api_key' ? `api_key:${staff.id}` : `staff:${staff.id}`, overrideTransferBudget: body.overrideTransferBudget,
        actor: staff.actor, reason: body.reason, purpose, requestId,
      });
      const view = viewFor(staff, purpose, 'one');
      // A device released before changes nothing (no release entry), but the answer still shows its identifiers.
      if (!changed) {
        await services.audit.record({ actor: staff.actor, action: 'device.read', subjectId: holderId, resource: { type: 'device', id: device.id }, purpose, requestId, details: { view, licenceId: params.id } });
      }
      const [presented] = await presentDevices(services, holderId, [device], view);
      return { body: presented };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/devices/release', tag: 'devices', access: { kind: 'licence' },
    response: { status: 204, description: 'released (or already released)' }, problems: ['LICENCE_NOT_USABLE', 'TRANSFER_BUDGET_EXHAUSTED'],
    summary: "The SDK frees this device's seat, with the licence token of a valid verdict as bearer credential",
    async handler({ services, req, requestId }) {
      // Signature, issuer and expiry were checked by the pipeline (access kind "licence").
      const claims = licenceTokenOf(req);
      if (!claims) throw new Error('device release route mounted without licence authentication');
      // A refusal's token must not release the device it names (e.g. an unbound user's USER_MISMATCH).
      if (!claims.valid || !claims.deviceId) throw new AppError('LICENCE_NOT_USABLE', 'only the token of a valid verdict for a device can release it');
      await releaseDevice(services, { licenceId: claims.licenceId, deviceId: claims.deviceId, by: 'sdk', actor: { type: 'licence', id: claims.licenceId }, requestId });
      return { status: 204 };
    },
  }),
];
