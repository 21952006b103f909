/**
 * A licence holder with data in every store: a licence, a bound NT account, a device with a MAC,
 * validation events, telemetry events under their monthly pseudonym, a fraud alert with evidence
 * and a staff comment, and a staff access with a purpose. Device rows are written with the
 * devices module's own sealing (src/devices/device-crypto.ts), as activation would, and the
 * comment with the fraud module's (src/fraud/present-fraud-alert.ts), as commenting would.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { holderSealer, DEVICE_FIELDS } from '../../../src/devices/device-crypto';
import { sealComment } from '../../../src/fraud/present-fraud-alert';
import { telemetryMonth, telemetryPseudonym } from '../../../src/telemetry/pseudonym';
import { buildContact, buildLicence } from '../../support/factories';
import type { Harness } from '../../support/harness';

export interface SubjectWorld {
  contactId: string;
  email: string;
  firstName: string;
  lastName: string;
  licenceId: string;
  deviceId: string;
  pcName: string;
  mac: string;
  ntAccount: string;
  phone: string;
}

export const FRAUD_COMMENT = 'Called the customer; reinstalled PC.';

const randomMac = () => [0x00, ...randomBytes(5)].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');

export async function buildSubjectWorld(h: Harness, options: {
  customerId?: string; email?: string; validUntil?: Date | null; validationEvents?: number; telemetryEvents?: number; staffReadPurpose?: string;
} = {}): Promise<SubjectWorld> {
  const id = randomUUID().slice(0, 8);
  const email = options.email ?? `holder.${id}@gemeente.test`;
  const firstName = `Griet${id}`;
  const lastName = `Vermeulen${id}`;
  const phone = `+32 2 ${id.replace(/[^0-9]/g, '1').slice(0, 3)} 45 67`;
  const contact = await buildContact(h, { email, firstName, lastName, phone, ...(options.customerId ? { customerId: options.customerId } : {}) });
  const validUntil = options.validUntil === undefined ? null : options.validUntil;
  const validFrom = validUntil ? new Date(Math.min(Date.now(), validUntil.getTime()) - 30 * 86_400_000) : undefined;
  const { licence } = await buildLicence(h, { holderId: contact.id, validUntil, validFrom });
  const prisma = h.services.prisma;
  const sealer = await holderSealer(h.services, contact.id);
  const pcName = `LAPTOP-${id.toUpperCase()}`;
  const mac = randomMac();
  const ntAccount = `GEMEENTE\\griet.${id}`;
  const now = h.services.now();
  await prisma.licenceUser.create({ data: { licenceId: licence.id, ntAccountIndex: h.services.blindIndex.of('nt_account', ntAccount), ntAccountEnc: sealer.seal(DEVICE_FIELDS.boundAccount, ntAccount) } });
  const device = await prisma.device.create({
    data: {
      licenceId: licence.id, pcNameIndex: h.services.blindIndex.of('pc_name', pcName), pcNameEnc: sealer.seal(DEVICE_FIELDS.pcName, pcName),
      lastNtAccountIndex: h.services.blindIndex.of('nt_account', ntAccount), lastNtAccountEnc: sealer.seal(DEVICE_FIELDS.lastNtAccount, ntAccount),
      macs: { create: [{ licenceId: licence.id, macIndex: h.services.blindIndex.of('mac', mac), macEnc: sealer.seal(DEVICE_FIELDS.mac, mac) }] },
    },
  });
  const validations = options.validationEvents ?? 3;
  await prisma.$executeRawUnsafe(
    `INSERT INTO validation_events ("licenceId", "deviceId", code, "appVersion", "osVersion", at)
     SELECT $1::uuid, $2::uuid, 'VALID', '5.2.1', 'Windows 11', $3::timestamp(3) - make_interval(secs => g) FROM generate_series(1, $4::int) g`,
    licence.id, device.id, now, validations);
  const telemetry = options.telemetryEvents ?? 4;
  const pseudonym = telemetryPseudonym(h.config.secrets.telemetryKey, contact.id, telemetryMonth(now));
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  // Spread over the current month so far (the monthly partition or the default one holds them).
  await prisma.$executeRawUnsafe(
    `INSERT INTO telemetry_events (at, pseudonym, "productId", type, name, "durationMs", "appVersion", "osVersion")
     SELECT $1::timestamp(3) + (($2::timestamp(3) - $1::timestamp(3)) * (g::float8 / ($4::int + 1))), $3, $5::uuid, 'feature', 'export_pdf', g % 1000, '5.2.1', 'Windows 11'
       FROM generate_series(1, $4::int) g`,
    monthStart, now, pseudonym, telemetry, licence.productId);
  const alert = await prisma.fraudAlert.create({
    data: {
      licenceId: licence.id, customerId: contact.customerId, signal: 'mac_collision', severity: 'medium', openKey: `${licence.id}:mac_collision`,
      evidenceEnc: h.services.subjects.encryptWith(await h.services.subjects.ensureKey(contact.id), contact.id, 'fraud_alert.evidence', JSON.stringify({ summary: { pcName, mac }, items: [] })),
    },
  });
  const staff = await h.staffUser('privacy_officer');
  await prisma.fraudAlertComment.create({ data: { alertId: alert.id, staffId: staff.id, body: await sealComment(h.services, contact.id, FRAUD_COMMENT) } });
  await prisma.fraudObservation.create({ data: { licenceId: licence.id, kind: 'machine', valueIndex: h.services.blindIndex.of('mac', mac), firstAt: now, lastAt: now } });
  const support = await h.login('support');
  await h.api.get(`/v1/contacts/${contact.id}`).set(h.auth(support)).set('X-Purpose', options.staffReadPurpose ?? 'ticket #4711').expect(200);
  return { contactId: contact.id, email, firstName, lastName, licenceId: licence.id, deviceId: device.id, pcName, mac, ntAccount, phone };
}
