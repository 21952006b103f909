/**
 * Outgoing e-mail. With SMTP_URL, nodemailer sends through that server. Without it (a newcomer's
 * machine), each message is written to `<dataDir>/outbox/<file>.eml` and the log names the file —
 * never the recipient, the subject line's data or a code, which only the file holds.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Services } from '../services';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** a label for logs and metrics, e.g. "verification_code"; never personal */
  kind: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

class SmtpMailer implements Mailer {
  private readonly transport: Transporter;
  constructor(url: string, private readonly from: string) {
    this.transport = nodemailer.createTransport(url);
  }
  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text });
  }
}

class OutboxMailer implements Mailer {
  constructor(private readonly dir: string, private readonly from: string, private readonly log: (file: string, kind: string) => void) {}
  async send(message: MailMessage): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = path.join(this.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${message.kind}-${randomUUID().slice(0, 8)}.eml`);
    const eml = [`From: ${this.from}`, `To: ${message.to}`, `Subject: ${message.subject}`, `Date: ${new Date().toUTCString()}`,
      'Content-Type: text/plain; charset=utf-8', '', message.text, ''].join('\r\n');
    await writeFile(file, eml, { mode: 0o600 });
    this.log(file, message.kind);
  }
}

const mailers = new WeakMap<Services, Mailer>();

/** The mailer of this service instance (built once, on first use). */
export function mailerFor(services: Services): Mailer {
  let mailer = mailers.get(services);
  if (!mailer) {
    const { smtpUrl, mailFrom, dataDir } = services.config;
    mailer = smtpUrl
      ? new SmtpMailer(smtpUrl, mailFrom)
      : new OutboxMailer(path.resolve(dataDir, 'outbox'), mailFrom, (file, kind) => services.logger.info({ file, kind }, 'e-mail written to the outbox (no SMTP_URL set)'));
    mailers.set(services, mailer);
  }
  return mailer;
}

/**
 * Sends without making the caller wait or fail: used where the response must not depend on
 * whether (or how fast) a message went out, e.g. verification codes (no enumeration by timing).
 */
export function sendInBackground(services: Services, message: MailMessage): void {
  const sent = services.metrics.counter('nomina_mail_sent_total', 'E-mails handed to SMTP or the outbox, by kind and outcome', ['kind', 'outcome']);
  setImmediate(() => {
    mailerFor(services).send(message).then(
      () => sent.inc({ kind: message.kind, outcome: 'sent' }),
      (error: unknown) => {
        sent.inc({ kind: message.kind, outcome: 'failed' });
        services.logger.error({ kind: message.kind, err: error instanceof Error ? error.message.replace(/\S+@\S+/g, '[address]') : 'unknown' }, 'e-mail could not be sent');
      },
    );
  });
}
