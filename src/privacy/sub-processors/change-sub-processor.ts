/**
 * Adds, changes or removes a sub-processor, records the change, and tells every customer whose
 * agreement is running (policy 004: the customer is informed of any intended change of
 * sub-processors, so it can object). The change and its record are one transaction; the notices
 * follow it and are recorded one by one (src/notices/send-notices.ts).
 */
import type { SubProcessor } from '../../generated/prisma/client';
import { notFound } from '../../http/problem';
import { organisationRecipients, sendNotices, type NoticeOutcome } from '../../notices/send-notices';
import type { Services } from '../../services';
import { categoryInfo, type DataCategoryId } from '../register/catalogue';
import { currentSubProcessors, presentSubProcessor } from './sub-processor-register';

export interface SubProcessorFields { name: string; service: string; location: string; categories: DataCategoryId[] }
export type SubProcessorChangeInput =
  | { kind: 'added'; fields: SubProcessorFields }
  | { kind: 'changed'; id: string; fields: Partial<SubProcessorFields> }
  | { kind: 'removed'; id: string };

export async function changeSubProcessor(services: Services, input: SubProcessorChangeInput, staffId: string, requestId?: string) {
  await currentSubProcessors(services); // the configured seed first, so a change never precedes it
  const now = services.now();
  const { row, change, before } = await services.prisma.$transaction(async (tx) => {
    let before: SubProcessor | null = null;
    let row: SubProcessor;
    if (input.kind === 'added') {
      row = await tx.subProcessor.create({ data: { ...input.fields, createdAt: now } });
    } else {
      const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM sub_processors WHERE id = ${input.id}::uuid AND "removedAt" IS NULL FOR UPDATE`;
      if (!locked) throw notFound('sub-processor');
      before = await tx.subProcessor.findUniqueOrThrow({ where: { id: input.id } });
      row = await tx.subProcessor.update({ where: { id: input.id }, data: input.kind === 'removed' ? { removedAt: now } : input.fields });
    }
    const change = await tx.subProcessorChange.create({
      data: { subProcessorId: row.id, kind: input.kind, at: now, byStaffId: staffId, before: before ? presentSubProcessor(before) as object : undefined, after: input.kind === 'removed' ? undefined : presentSubProcessor(row) as object },
    });
    await services.audit.record({ actor: { type: 'staff', id: staffId }, action: `sub_processor.${input.kind}`, resource: { type: 'sub_processor', id: row.id }, requestId }, tx);
    return { row, change, before };
  });
  const notices = await noticeCustomers(services, change.id, input.kind, row, before);
  return { subProcessor: presentSubProcessor(row), change: { id: change.id, kind: change.kind, at: change.at.toISOString() }, notices };
}

async function noticeCustomers(services: Services, changeId: string, kind: SubProcessorChangeInput['kind'], row: SubProcessor, before: SubProcessor | null): Promise<NoticeOutcome> {
  const now = services.now();
  const customers = await services.prisma.customer.findMany({
    where: { closedAt: null, OR: [{ agreementEndsAt: null }, { agreementEndsAt: { gt: now } }] }, select: { id: true }, orderBy: { createdAt: 'asc' },
  });
  const describe = (s: SubProcessor) => `${s.name} — ${s.service} (${s.location}); data: ${s.categories.map((c) => categoryInfo(c as DataCategoryId).name).join(', ')}`;
  const lines = [
    'Dear customer,', '',
    kind === 'added' ? 'We are adding a sub-processor that will process personal data we process on your behalf:'
      : kind === 'removed' ? 'We no longer use the following sub-processor:' : 'A sub-processor we use has changed:',
    '', ...(before && kind === 'changed' ? [`  before: ${describe(before)}`, `  now:    ${describe(row)}`] : [`  ${describe(row)}`]), '',
    'No personal data is transferred outside the European Economic Area. If you object to this change, reply to this message or write to our data protection officer.',
    'The current list is always available in our register of processing activities (GET /v1/privacy/register).',
  ];
  const total: NoticeOutcome = { sent: 0, failed: 0, unreachable: 0 };
  for (const customer of customers) {
    const outcome = await sendNotices(services, 'sub_processor_change', { subProcessorChangeId: changeId }, await organisationRecipients(services, customer.id), { subject: 'Change of sub-processors', lines });
    total.sent += outcome.sent; total.failed += outcome.failed; total.unreachable += outcome.unreachable;
  }
  return total;
}
