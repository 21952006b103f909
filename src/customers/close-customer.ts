/**
 * Closes a customer at the end of its agreement (policy 004): after its data was exported
 * (export-customer.ts), every contact is erased through the subject erasure command — the same
 * re-runnable, verified erasure with its own signed receipt as an erasure request — and a signed
 * closure receipt lists what was erased and what is kept and why. The organisation record and its
 * billing records stay: they hold no personal data and the Belgian VAT Code requires them (the
 * retention run removes the billing records after their period).
 *
 * Re-runnable: a crash half-way leaves erasure jobs that the next call (or the retention run)
 * finishes; a customer already closed answers with its receipt.
 */
import { AppError, notFound } from '../http/problem';
import { eraseSubject } from '../privacy/erasure/erase-subject';
import { signReceipt } from '../privacy/receipts';
import type { Services } from '../services';

/** How long an export stays good for closing: the data must not have changed much since. */
const EXPORT_VALID_MS = 7 * 86_400_000;

export async function closeCustomer(services: Services, customerId: string, exportId: string, staffId: string, requestId: string) {
  const customer = await services.prisma.customer.findUnique({ where: { id: customerId } });
  if (!customer) throw notFound('customer');
  const exported = await services.prisma.customerExport.findFirst({ where: { id: exportId, customerId } });
  if (!exported) throw new AppError('UNPROCESSABLE', 'no such export of this customer', { errors: [{ pointer: '/exportId', detail: 'export the customer’s data first (POST /v1/customers/{id}/exports)' }] });
  if (customer.closedAt) {
    const closing = await services.prisma.customerExport.findFirst({ where: { customerId, closedAt: { not: null } } });
    return { alreadyClosed: true, closedAt: customer.closedAt.toISOString(), receipt: closing?.receiptJws ?? null };
  }
  const now = services.now();
  if (!customer.agreementEndsAt || customer.agreementEndsAt.getTime() > now.getTime()) {
    throw new AppError('CONFLICT', 'the customer’s agreement has not ended (set agreementEndsAt first)');
  }
  if (!exported.sha256) throw new AppError('CONFLICT', 'that export did not complete; export again');
  if (now.getTime() - exported.createdAt.getTime() > EXPORT_VALID_MS) throw new AppError('CONFLICT', 'that export is older than 7 days; export again');
  // The export handed back must hold what is about to be erased: a contact or licence added or
  // changed after it would be erased without ever having been returned.
  const since = { OR: [{ createdAt: { gt: exported.createdAt } }, { updatedAt: { gt: exported.createdAt } }] };
  const changedAfter = await services.prisma.contact.count({ where: { customerId, ...since } }) + await services.prisma.licence.count({ where: { customerId, ...since } });
  if (changedAfter > 0) {
    throw new AppError('CONFLICT', `${changedAfter} contact(s) or licence(s) of this customer were added or changed after that export; export again, then close with the new export`, {
      errors: [{ pointer: '/exportId', detail: 'older than the customer’s latest change' }],
    });
  }

  const actor = { type: 'staff' as const, id: staffId };
  const contacts = await services.prisma.contact.findMany({ where: { customerId }, select: { id: true } });
  const erasures: { erasureJobId: string; recordsErased: number; recordsLeft: number }[] = [];
  for (const { id } of contacts) {
    const result = await eraseSubject(services, { contactId: id, actor, endRunningLicences: true });
    if (result.status !== 'completed') throw new Error(`erasure of a contact of customer ${customerId} ended as ${result.status}`);
    erasures.push({ erasureJobId: result.jobId, recordsErased: result.receipt.erased.reduce((n, e) => n + e.records, 0), recordsLeft: result.receipt.verification.recordsLeft });
  }
  // Verified: nothing personal of this customer is left.
  const left = { contacts: await services.prisma.contact.count({ where: { customerId } }), licences: await services.prisma.licence.count({ where: { customerId } }) };
  if (left.contacts + left.licences > 0) throw new Error(`customer ${customerId} still has ${left.contacts} contact(s) and ${left.licences} licence(s) after erasure`);
  const billingRecords = await services.prisma.billingRecord.count({ where: { customerId } });
  const closedAt = services.now();
  const receipt = await signReceipt(services, {
    receipt: 'customer-closure', version: 1, customerId, exportId, exportSha256: exported.sha256, exportedAt: exported.createdAt.toISOString(), closedAt: closedAt.toISOString(),
    subjectsErased: erasures.length, erasures,
    kept: [
      { what: 'the organisation record (name, VAT number, country, agreement dates)', count: 1, why: 'not personal data; the billing records refer to it' },
      { what: 'billing records', count: billingRecords, why: 'Belgian VAT Code art. 60 (GDPR Art. 6(1)(c), 17(3)(b)); removed by the retention run after their period' },
    ],
  }, 'nomina-customer-closure-receipt+jwt');
  await services.prisma.$transaction(async (tx) => {
    await tx.customer.update({ where: { id: customerId }, data: { closedAt } });
    await tx.customerExport.update({ where: { id: exportId }, data: { closedAt, receiptJws: receipt } });
    await services.audit.record({ actor, action: 'customer.close', resource: { type: 'customer', id: customerId }, requestId, details: { exportId, subjectsErased: erasures.length } }, tx);
  });
  return { alreadyClosed: false, closedAt: closedAt.toISOString(), receipt, subjectsErased: erasures.length, billingRecordsKept: billingRecords };
}
