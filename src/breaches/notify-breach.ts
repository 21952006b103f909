/**
 * Tells the people a breach concerns (GDPR Art. 34; policies 003 and 004), without undue delay:
 * run as soon as a breach is recorded or its assessment or affected parties change.
 * - every affected customer organisation, through its management, IT and billing contacts (or
 *   all its contacts when it names none of those roles): the processor's duty to its customers;
 * - every affected data subject, when the privacy officer assessed the risk to them as high.
 * Each notice is recorded (who, when, sent or failed); re-running tells only those not yet told,
 * and retries those whose notice failed.
 */
import type { BreachRecord } from '../generated/prisma/client';
import type { NoticeKind } from '../generated/prisma/enums';
import { organisationRecipients, sendNotices, type NoticeOutcome, type NoticeTarget } from '../notices/send-notices';
import type { Services } from '../services';

export interface BreachNoticeOutcome { subjects: NoticeOutcome; customers: NoticeOutcome }

export async function notifyBreach(services: Services, breachId: string): Promise<BreachNoticeOutcome> {
  const breach = await services.prisma.breachRecord.findUniqueOrThrow({
    where: { id: breachId }, include: { affectedSubjects: { include: { contact: { select: { customerId: true } } } }, affectedCustomers: true },
  });
  const told = await services.prisma.notice.findMany({ where: { breachId, status: 'sent' }, select: { kind: true, contactId: true } });
  const already = (kind: NoticeKind) => new Set(told.filter((n) => n.kind === kind).map((n) => n.contactId));

  const subjectsDone = already('breach_subject');
  const subjects: NoticeTarget[] = breach.risk === 'high'
    ? breach.affectedSubjects.filter((a) => !subjectsDone.has(a.contactId)).map((a) => ({ contactId: a.contactId, customerId: a.contact.customerId }))
    : [];
  const customersDone = already('breach_customer');
  const customerTargets: NoticeTarget[] = [];
  for (const { customerId } of breach.affectedCustomers) {
    for (const target of await organisationRecipients(services, customerId)) if (!customersDone.has(target.contactId)) customerTargets.push(target);
  }
  const subjectOutcome = await sendNotices(services, 'breach_subject', { breachId }, subjects, subjectMessage(breach));
  const customerOutcome = await sendNotices(services, 'breach_customer', { breachId }, customerTargets, customerMessage(breach));
  if (subjectOutcome.sent > 0 && !breach.subjectsNotifiedAt) {
    await services.prisma.breachRecord.update({ where: { id: breachId }, data: { subjectsNotifiedAt: services.now() } });
  }
  return { subjects: subjectOutcome, customers: customerOutcome };
}

function facts(b: BreachRecord): string[] {
  return [
    `What happened: ${b.title}`, b.description, '',
    `When we became aware of it: ${b.awareAt.toISOString()}`,
    `Kinds of data concerned: ${b.categories.join(', ')}`, '',
    `What we have done and are doing about it: ${b.measures}`,
  ];
}

function subjectMessage(b: BreachRecord) {
  return {
    subject: 'A personal-data breach that concerns you',
    lines: [
      'We are writing to tell you about a personal-data breach that concerns your data and may put your rights and freedoms at high risk (GDPR Art. 34).', '',
      ...facts(b), '',
      'What you can do: be wary of messages that ask for passwords or payment in our name, and change any password you may have reused. Contact our data protection officer with any question (address below).',
      'You may also lodge a complaint with the Belgian Data Protection Authority (contact@apd-gba.be).',
    ],
  };
}

function customerMessage(b: BreachRecord) {
  return {
    subject: 'Personal-data breach notice to your organisation',
    lines: [
      'We are informing your organisation, without undue delay, of a personal-data breach that concerns personal data we process on your behalf (data processing policy, breaches).', '',
      ...facts(b), '',
      `Approximate number of persons concerned: ${b.approxSubjects}; approximate number of records: ${b.approxRecords}.`,
      'Our data protection officer is available to help you assess whether you must notify the supervisory authority or the persons concerned.',
    ],
  };
}
