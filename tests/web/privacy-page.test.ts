/**
 * The licence holder's privacy page, in real Chromium, on the service as `npm start` runs it,
 * with mail caught by a local SMTP server — on the embedded database and on PostgreSQL.
 * The holder signs in from the mail's link, reads their data, downloads both exports, objects to
 * usage statistics (the next telemetry batch is refused), contests an alert, releases a computer,
 * asks for erasure and sees the request with its due date. Every screen is checked with axe-core
 * and photographed at 390 and 1280 px (test-artifacts/screens).
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { initialDueAt } from '../../src/privacy/deadlines';
import { startMailServer, type TestMailServer } from '../privacy/support/mail-server';
import { fitsWidth, focused, launchBrowser, screenshots, seriousViolations } from './support/privacy-browser';
import { seedHolder, sendTelemetry, type HolderWorld } from './support/seed';
import { startService, type DatabaseKind, type RunningService } from './support/service-process';

jest.setTimeout(180_000);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const longDate = (d: Date) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(d); // a deadline's day (see web/shared/i18n.tsx)

describe.each<DatabaseKind>(['embedded', 'postgres'])('the privacy page on the %s database', (kind) => {
  let mail: TestMailServer;
  let service: RunningService;
  let browser: Browser;
  let world: HolderWorld;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mail = await startMailServer();
    service = await startService(kind, { SMTP_URL: mail.url });
    browser = await launchBrowser();
    world = await seedHolder(service).catch((error: Error) => { throw new Error(`${error.message}\nservice output:\n${service.output().slice(-4000)}`); });
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await service?.stop();
    await mail?.close();
  });

  async function newPage(locale: string, viewport = { width: 1280, height: 900 }, deviceScaleFactor = 1): Promise<Page> {
    const context = await browser.newContext({ locale, timezoneId: 'Europe/Brussels', reducedMotion: 'reduce', viewport, deviceScaleFactor, acceptDownloads: true });
    contexts.push(context);
    return context.newPage();
  }

  /** Asks for a code on the page and returns the link of the mail that arrives. */
  async function askForLink(page: Page, email: string): Promise<string> {
    const before = mail.mails.length;
    await page.getByLabel('Your e-mail address').fill(email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByText('If we know this address').waitFor();
    const received = await mail.waitFor(email, (m) => mail.mails.indexOf(m) >= before);
    const link = /(http\S+\/privacy#\S+)/.exec(received.text)?.[1];
    if (!link) throw new Error('no link in the mail');
    return link;
  }

  /** Opens a view from the page's own navigation. */
  const go = (page: Page, view: string) => page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: view }).click();

  it('speaks Dutch to a Dutch browser and English to an English one, and switches on request', async () => {
    const nl = await newPage('nl-BE');
    await nl.goto(`${service.url}/privacy`);
    await nl.getByRole('heading', { level: 1, name: 'Meld u aan om uw gegevens te zien' }).waitFor();
    expect(await nl.getAttribute('html', 'lang')).toBe('nl');
    expect(await nl.getByRole('heading', { name: 'Sign in to see your data' }).count()).toBe(0);
    await nl.getByRole('button', { name: 'English' }).click();
    await nl.getByRole('heading', { level: 1, name: 'Sign in to see your data' }).waitFor();
    expect(await nl.getAttribute('html', 'lang')).toBe('en');

    const en = await newPage('en-US');
    await en.goto(`${service.url}/privacy`);
    await en.getByRole('heading', { level: 1, name: 'Sign in to see your data' }).waitFor();
    expect(await en.getAttribute('html', 'lang')).toBe('en');
    expect(await en.getByRole('heading', { name: 'Meld u aan om uw gegevens te zien' }).count()).toBe(0);
  });

  it('can be used with the keyboard alone, and reflows at 390 px and at 200 % zoom', async () => {
    const page = await newPage('en-GB');
    await page.goto(`${service.url}/privacy`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to see your data' }).waitFor();
    // Tab from the top: skip link, the two language buttons, then the e-mail field.
    let reached = false;
    for (let i = 0; i < 6 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = (await focused(page)) === 'INPUT email';
    }
    expect(reached).toBe(true);
    const before = mail.mails.length;
    await page.keyboard.type(world.email);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Enter the code from the e-mail' }).waitFor();
    const code = /verification code is: (\d{4}) (\d{4})/.exec((await mail.waitFor(world.email, (m) => mail.mails.indexOf(m) >= before)).text)!;
    expect(await focused(page)).toBe('H1'); // focus moved to the new step
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('INPUT code');
    await page.keyboard.type(`${code[1]} ${code[2]}`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'What we know about you' }).waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'My rights' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Your rights' }).waitFor();

    for (const [width, scale] of [[390, 1], [640, 2]] as const) { // 640 CSS px = a 1280 px window at 200 %
      const small = await newPage('en-GB', { width, height: 800 }, scale);
      await small.goto(`${service.url}/privacy`);
      await small.getByRole('heading', { level: 1 }).waitFor();
      expect(await fitsWidth(small)).toBe(true);
    }
    expect(await fitsWidth(page)).toBe(true);
  });

  it('lets the holder sign in from the mail, read, download, object, contest, release, erase and follow the requests', async () => {
    const shoot = kind === 'embedded';
    const page = await newPage('en-GB');
    const check = async (screen: string) => {
      expect(await seriousViolations(page)).toEqual([]);
      if (shoot) await screenshots(page, `privacy-${screen}`);
      await page.setViewportSize({ width: 390, height: 800 });
      expect(await fitsWidth(page)).toBe(true);
      await page.setViewportSize({ width: 1280, height: 900 });
    };

    // Sign in from the link in the mail: the code is filled in, the fragment leaves the address bar.
    await page.goto(`${service.url}/privacy`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to see your data' }).waitFor();
    await check('sign-in');
    const link = await askForLink(page, world.email);
    expect(link.startsWith(`${service.url}/privacy#`)).toBe(true);
    await page.goto(link);
    await page.getByText('The code from your e-mail is filled in').waitFor();
    expect(await page.getByLabel('Code from the e-mail').inputValue()).toBe(new URLSearchParams(new URL(link).hash.slice(1)).get('code'));
    expect(page.url()).toBe(`${service.url}/privacy`);
    await check('sign-in-code');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    // My data: contact details, licence, computers, Windows account, the fraud alert explained.
    await page.getByRole('heading', { level: 1, name: 'What we know about you' }).waitFor();
    for (const text of [world.email, 'Stedenbouwkundige', world.organisation]) await page.getByText(text, { exact: true }).first().waitFor();
    await page.getByRole('cell', { name: 'Leuven Planner' }).waitFor();
    await page.getByRole('cell', { name: `…${world.key.replace(/-/g, '').slice(-4)}` }).waitFor();
    for (const pc of world.pcNames) await page.getByRole('cell', { name: pc, exact: true }).waitFor();
    await page.getByRole('cell', { name: 'LEUVEN\\lclaes' }).first().waitFor();
    await page.getByRole('heading', { level: 3, name: 'The computer’s clock is wrong' }).waitFor();
    await page.getByText('A flat clock battery').waitFor();
    await page.getByText('Why we keep this and for how long').first().click();
    await page.getByText('Contract (GDPR Art. 6(1)(b))', { exact: false }).first().waitFor();
    await check('my-data');

    // Use and access: the monthly chart with its table, and who used the data — by role and reason, never an id.
    await go(page, 'Use and access');
    await page.getByRole('heading', { level: 1, name: 'Use and access' }).waitFor();
    await page.getByRole('img', { name: /Recorded events per month/ }).waitFor();
    expect(await page.getByRole('region', { name: 'Recorded events per month' }).getByRole('row').count()).toBeGreaterThanOrEqual(2);
    const access = page.getByRole('region', { name: 'Who used your data' });
    await access.getByRole('cell', { name: 'Support staff' }).first().waitFor();
    await access.getByRole('cell', { name: 'ticket SUP-2211: licence moved to a new laptop' }).waitFor();
    await access.getByRole('cell', { name: 'Looked at your licence' }).first().waitFor();
    expect(await access.innerText()).not.toMatch(UUID);
    expect(await access.innerText()).not.toMatch(/licence\.read|contact\.create/);
    await check('use-and-access');

    // Download both exports: the readable document holds the facts of the JSON one.
    await go(page, 'My rights');
    await page.getByRole('heading', { level: 1, name: 'Your rights' }).waitFor();
    const download = async (name: RegExp) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
      return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
    };
    const json = await download(/Download for computers/);
    const html = await download(/Download a readable document/);
    expect(json.name).toMatch(/^nomina-export-\d{4}-\d{2}-\d{2}\.json$/);
    expect(html.name).toMatch(/^nomina-export-\d{4}-\d{2}-\d{2}\.html$/);
    const exported = JSON.parse(json.text);
    expect(exported).toMatchObject({ format: 'nomina.subject-export', version: 1 });
    const escapeHtml = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const facts: string[] = [
      ...['firstName', 'lastName', 'email', 'jobTitle', 'phone', 'organisation'].map((f) => exported.data.contact.items[0][f]),
      ...exported.data.licences.items.flatMap((l: Record<string, string>) => [l.keyEndsWith, l.productName, l.validFrom]),
      ...exported.data.devices.items.flatMap((d: Record<string, string>) => [d.pcName, d.lastSeenAt, d.lastNtAccount]),
      ...exported.data.device_macs.items.map((m: Record<string, string>) => m.mac),
      ...exported.data.licence_users.items.map((u: Record<string, string>) => u.ntAccount),
      ...exported.data.validation_events.items.map((v: Record<string, string>) => v.at),
      ...exported.data.telemetry_events.items.map((e: Record<string, string>) => e.at),
      ...exported.data.fraud_alerts.items.flatMap((a: { explanation: Record<string, string> }) => [a.explanation.title, a.explanation.what]),
      ...exported.howWeUseYourData.purposes.flatMap((p: Record<string, string>) => [p.purpose, p.legalBasis, p.retention]),
    ];
    expect(facts.length).toBeGreaterThan(25);
    for (const fact of facts) expect(html.text).toContain(escapeHtml(String(fact)));
    expect(html.text).toContain('@media print');
    expect(html.text).not.toContain(exported.data.access_log.items.find((e: { who: { staffId?: string } }) => e.who.staffId)?.who.staffId ?? 'no staff id');
    await page.getByText(`Your download has started: ${html.name}`).waitFor();

    // Object to usage statistics: in force at once, and the application's next batch is refused.
    const objection = page.getByRole('region', { name: 'Stop usage statistics' });
    await objection.getByRole('button', { name: 'Object to usage statistics' }).click();
    await objection.getByText('Done: this is in force from now on.', { exact: false }).waitFor();
    const refused = await sendTelemetry(service, world.licenceToken, [new Date()]);
    expect(refused).toMatchObject({ status: 202, body: { accepted: 0, telemetry: 'off' } });
    await check('my-rights');

    // Contest the alert and release a computer, from "My data".
    await go(page, 'My data');
    await page.getByLabel('Tell us why you disagree').fill('My home PC had a flat clock battery; it has been replaced.');
    await page.getByRole('button', { name: 'Send my objection' }).click();
    await page.getByText(/Your objection was received\. We will answer by/).waitFor();
    await page.getByRole('button', { name: `Release ${world.pcNames[1]}` }).click();
    await page.getByText(`${world.pcNames[1]} was released from your licence.`).waitFor();
    await page.getByRole('cell', { name: /Released on/ }).waitFor();
    expect(await page.getByRole('button', { name: `Release ${world.pcNames[1]}` }).count()).toBe(0);

    // Ask for erasure (confirmed first), then follow every request with its due date.
    await go(page, 'My rights');
    const erase = page.getByRole('region', { name: 'Erase your data' });
    await erase.getByRole('button', { name: 'Erase my data' }).click();
    await erase.getByText('Are you sure? Erasure cannot be undone.').waitFor();
    await erase.getByRole('button', { name: 'Yes, erase my data' }).click();
    await erase.getByText(/Your request was received/).waitFor();
    const askedAt = new Date();

    await go(page, 'My requests');
    await page.getByRole('heading', { level: 1, name: 'Your requests' }).waitFor();
    const requests = page.getByRole('region', { name: 'Your requests' });
    const erasureRow = requests.getByRole('row').filter({ hasText: 'Erasure' });
    await erasureRow.waitFor();
    expect(await erasureRow.innerText()).toContain(longDate(initialDueAt(askedAt, 'Europe/Brussels')));
    expect(await requests.getByRole('row').filter({ hasText: 'Objection' }).count()).toBe(2); // usage statistics, and the contested alert
    await check('my-requests');

    // Nothing personal reached the service's logs.
    expect(service.output()).not.toContain(world.email);
    expect(service.output()).not.toContain(world.pcNames[0]);
  });
});
