/**
 * E-mails to a data subject about their request (extension with reasons, rejection, erasure,
 * a licence ended). The address is decrypted just before sending; for an erasure it is read
 * before the key is destroyed and passed in.
 */
import { decryptContact } from '../contacts/contact-crypto';
import { mailerFor } from '../mail/mailer';
import type { Services } from '../services';

export async function subjectEmail(services: Services, contactId: string): Promise<string | null> {
  const contact = await services.prisma.contact.findUnique({ where: { id: contactId } });
  if (!contact) return null;
  return (await decryptContact(services, contact))?.email ?? null;
}

/** Sends and waits: the notice is part of the legal act (e.g. an extension must be told). */
export async function notifySubject(services: Services, to: string | null, kind: string, subject: string, lines: string[]): Promise<boolean> {
  if (!to) return false;
  await mailerFor(services).send({ kind, to, subject, text: [...lines, '', 'Nomina privacy team'].join('\n') });
  return true;
}
