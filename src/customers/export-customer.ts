/**
 * The export handed to a customer at the end of its agreement (policy 004: on termination the
 * processor returns all personal data, then deletes it). Format `nomina.customer-export`,
 * version 1, documented in customer-export-format.md: the organisation, its billing records, and
 * for each of its contacts the complete subject export (`nomina.subject-export`, the same
 * document a holder downloads: contact data, licences, devices, validation history, usage
 * telemetry, fraud alerts, requests, access log).
 *
 * Streamed to the response and hashed as it goes; the CustomerExport row records the digest
 * once the last byte is written, and only a completed export allows closing the customer.
 */
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { notFound } from '../http/problem';
import { loggableError } from '../logger';
import { writeExport } from '../privacy/export/write-export';
import { resolveSubjectScope } from '../privacy/subject-scope';
import type { Services } from '../services';
import { responseWriter } from '../http/response-writer';

export const CUSTOMER_EXPORT_FORMAT = 'nomina.customer-export';
export const CUSTOMER_EXPORT_VERSION = 1;

export async function streamCustomerExport(services: Services, customerId: string, staffId: string, requestId: string, res: Response): Promise<void> {
  const customer = await services.prisma.customer.findUnique({ where: { id: customerId } });
  if (!customer) throw notFound('customer');
  const now = services.now();
  const contacts = await services.prisma.contact.findMany({ where: { customerId }, select: { id: true }, orderBy: { createdAt: 'asc' } });
  const record = await services.prisma.customerExport.create({ data: { customerId, sha256: '', byStaffId: staffId, createdAt: now } });
  // Reading every contact's data is a staff access to personal data: one entry per subject.
  for (const { id } of contacts) {
    await services.audit.record({ actor: { type: 'staff', id: staffId }, action: 'customer.export', subjectId: id, resource: { type: 'customer', id: customerId }, purpose: 'end of the customer’s agreement: return of the data (policy 004)', requestId });
  }
  const hash = createHash('sha256');
  res.status(200);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="nomina-customer-export-${now.toISOString().slice(0, 10)}.json"`);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Export-Id', record.id);
  const send = responseWriter(res);
  const write = (chunk: string) => {
    hash.update(chunk);
    return send(chunk);
  };
  try {
    const billing = await services.prisma.billingRecord.findMany({ where: { customerId }, orderBy: { issuedAt: 'asc' } });
    const header = {
      format: CUSTOMER_EXPORT_FORMAT, version: CUSTOMER_EXPORT_VERSION, exportId: record.id, generatedAt: now.toISOString(),
      customer: {
        id: customer.id, name: customer.name, vatNumber: customer.vatNumber, country: customer.country,
        agreementStartsAt: customer.agreementStartsAt.toISOString(), agreementEndsAt: customer.agreementEndsAt?.toISOString() ?? null,
      },
      billingRecords: billing.map((b) => ({ licenceId: b.licenceId, productCode: b.productCode, issuedAt: b.issuedAt.toISOString(), validFrom: b.validFrom.toISOString(), validUntil: b.validUntil?.toISOString() ?? null })),
    };
    await write(JSON.stringify(header).slice(0, -1) + ',"subjects":[');
    let first = true;
    for (const { id } of contacts) {
      const scope = await resolveSubjectScope(services, id, now);
      if (!scope) continue;
      if (!first) await write(',');
      first = false;
      await writeExport(services, scope, write);
    }
    await write(']}');
    await services.prisma.customerExport.update({ where: { id: record.id }, data: { sha256: hash.digest('hex') } });
    res.end();
  } catch (error) {
    services.logger.warn({ error: loggableError(error) }, 'customer export aborted');
    res.destroy();
  }
}
