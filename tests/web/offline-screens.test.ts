/**
 * Air-gapped activation on the two screens (docs/offline-activation.md), in real Chromium on the
 * service as `npm start` runs it. The test plays the PC without internet (tests/support/offline-files.ts
 * makes its request and release files as the SDK does); the holder on the privacy
 * page and support in the console turn requests into licence files, which the test verifies
 * against the published keys and the contract's claims; releases free the seat once; refusals are
 * shown in words. Every new screen state is checked with axe and photographed in English and Dutch.
 */
import { readFileSync } from 'node:fs';
import type { JSONWebKeySet } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startMailServer, type TestMailServer } from '../privacy/support/mail-server';
import { activationRequest, anOfflinePc, releaseFile, requestText, verifyLicenceFile } from './support/offline-files';
import { focused, launchBrowser, screenshots, seriousViolations } from './support/privacy-browser';
import { seedHolder, type HolderWorld } from './support/seed';
import { startService, type RunningService } from './support/service-process';

jest.setTimeout(180_000);

const OFFLINE_DAYS = 30; // the policy's default offlineLicenceDays

let mail: TestMailServer;
let service: RunningService;
let browser: Browser;
let world: HolderWorld;
let jwks: JSONWebKeySet;
const staff: Record<'support' | 'auditor' | 'privacy_officer', { email: string; password: string }> = {
  support: { email: 'support.offline@vendor.test', password: 'support-offline-password' },
  auditor: { email: 'auditor.offline@vendor.test', password: 'auditor-offline-password' },
  privacy_officer: { email: 'dpo.offline@vendor.test', password: 'dpo-offline-password' },
};
const contexts: BrowserContext[] = [];

async function api(method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${service.url}${path}`, {
    method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  mail = await startMailServer();
  service = await startService('embedded', { SMTP_URL: mail.url });
  browser = await launchBrowser();
  world = await seedHolder(service).catch((error: Error) => { throw new Error(`${error.message}\nservice output:\n${service.output().slice(-4000)}`); });
  const admin = (await api('POST', '/v1/staff/sessions', service.admin)).body.token as string;
  for (const [role, account] of Object.entries(staff)) expect((await api('POST', '/v1/staff', { ...account, roles: [role] }, admin)).status).toBe(201);
  jwks = (await api('GET', '/.well-known/jwks.json')).body;
}, 150_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await service?.stop();
  await mail?.close();
});

async function newPage(locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, timezoneId: 'Europe/Brussels', reducedMotion: 'reduce', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  contexts.push(context);
  return context.newPage();
}

/** axe clean, and photographed at 390 and 1280 px. */
async function check(page: Page, screen: string) {
  expect({ screen, violations: await seriousViolations(page) }).toEqual({ screen, violations: [] });
  await screenshots(page, screen);
}

/** The holder signs in with the code from the mail's link; the page then shows "My data". */
async function holderSignIn(page: Page, lang: 'en' | 'nl') {
  await page.goto(`${service.url}/privacy`);
  const before = mail.mails.length;
  await page.getByLabel(lang === 'en' ? 'Your e-mail address' : 'Uw e-mailadres').fill(world.email);
  await page.getByRole('button', { name: lang === 'en' ? 'Send me a code' : 'Stuur mij een code' }).click();
  const received = await mail.waitFor(world.email, (m) => mail.mails.indexOf(m) >= before);
  await page.goto(/(http\S+\/privacy#\S+)/.exec(received.text)![1]);
  await page.getByRole('button', { name: lang === 'en' ? 'Sign in' : 'Aanmelden', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: lang === 'en' ? 'What we know about you' : 'Wat wij over u weten' }).waitFor();
}

const pcOf = (pcName: string, mac: string) => anOfflinePc({ ntUsername: 'lclaes', ntDomain: 'LEUVEN', pcName, macAddresses: [mac] });
const asFile = (name: string, text: string) => ({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(text, 'utf8') });

async function downloadFrom(page: Page, link: RegExp) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).click()]);
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
}

// Shared between the steps below, which run in order: the holder's two offline PCs, then support's.
const secureLab = pcOf('SECURE-LAB-01', '00:1A:2B:3C:7D:01');
const vault = pcOf('VAULT-PC-02', '00:1A:2B:3C:7D:02');
const archive = pcOf('ARCHIVE-03', '00:1A:2B:3C:7D:03');
type FileClaims = Awaited<ReturnType<typeof verifyLicenceFile>>;
let vaultFile: FileClaims;

describe('the holder on the privacy page', () => {
  it('activates a PC without internet, downloads a licence file that keeps the contract, and releases the PC with its release file', async () => {
    const page = await newPage('en-GB');
    await holderSignIn(page, 'en');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'PC without internet' }).click();
    await page.getByRole('heading', { level: 1, name: 'Activate a PC without internet' }).waitFor();
    expect(await page.getByRole('heading', { level: 2, name: 'Step by step' }).count()).toBe(1);
    expect(await page.getByRole('list').filter({ hasText: 'import it in the software' }).getByRole('listitem').count()).toBe(5);
    await check(page, 'privacy-offline');

    // Nothing chosen: said in words, and the focus goes to the message.
    await page.getByRole('button', { name: 'Make the licence file' }).click();
    await page.getByText('Choose the request file, or paste its text, first.').waitFor();

    // The request file from a stick: a licence file to download, with its expiry.
    const firstRequest = activationRequest(secureLab, world.key, world.productCode);
    await page.getByLabel('Request file', { exact: true }).setInputFiles(asFile('nomina-activation-request.json', JSON.stringify(firstRequest, null, 2)));
    await page.getByRole('button', { name: 'Make the licence file' }).click();
    await page.getByText(/^The licence file is ready\. The PC now has a place on your licence, and the file works until \d{1,2} \w+ \d{4}\.$/).waitFor();
    expect(await focused(page)).toBe('A'); // the download is the next thing to do
    await check(page, 'privacy-offline-issued');
    const licenceFile = await downloadFrom(page, /^Download the licence file \(nomina-licence\.lic\)$/);
    expect(licenceFile.name).toBe('nomina-licence.lic');
    const claims = await verifyLicenceFile(licenceFile.text.trim(), jwks, firstRequest, OFFLINE_DAYS);
    expect(claims.sub).toBe(world.licenceId);

    // Three computers on a three-computer licence: a fourth request, pasted in its text form, is refused in words.
    await page.getByLabel('Or paste the text of the request').fill(requestText(activationRequest(vault, world.key, world.productCode)));
    await page.getByRole('button', { name: 'Make the licence file' }).click();
    await page.getByText('Your licence is already in use on as many computers as it allows.', { exact: false }).waitFor();
    expect(await page.getByRole('alert').innerText()).not.toMatch(/TOO_MANY_MACHINES/);
    await check(page, 'privacy-offline-refused');

    // "My data" lists the PC as one without internet, with the licence file's expiry and no release button.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'My data' }).click();
    const row = page.getByRole('row').filter({ hasText: secureLab.device.pcName });
    await row.getByText('Activated without internet').waitFor();
    await row.getByText(/Without internet: its licence file works until \d{1,2} \w+ \d{4}/).waitFor();
    expect(await row.getByRole('button').count()).toBe(0);
    await check(page, 'privacy-offline-device');

    // The release file the PC wrote frees the seat — once.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'PC without internet' }).click();
    const release = await releaseFile(secureLab, { lic: world.licenceId, dev: claims.dev, act: claims.jti, product: world.productCode });
    await page.getByLabel('Release file', { exact: true }).setInputFiles(asFile('nomina-release.jws', release));
    await page.getByRole('button', { name: 'Release the PC' }).click();
    await page.getByText(/^The PC was released from your licence at .+\. Its place is free for another computer\.$/).waitFor();
    await check(page, 'privacy-offline-released');
    await page.getByLabel('Or paste the text of the release file').fill(release);
    await page.getByRole('button', { name: 'Release the PC' }).click();
    await page.getByText('This release file was already used', { exact: false }).waitFor();
  });

  it('speaks Dutch: the steps, a refusal for a request that is too old, and a licence file for the next PC, with the keyboard alone', async () => {
    const page = await newPage('nl-BE');
    await holderSignIn(page, 'nl');
    await page.getByRole('navigation', { name: 'Onderdelen' }).getByRole('button', { name: 'Pc zonder internet' }).click();
    await page.getByRole('heading', { level: 1, name: 'Een pc zonder internet activeren' }).waitFor();
    expect(await page.getByText('Activate a PC without internet').count()).toBe(0);
    await check(page, 'privacy-offline-nl');

    const old = activationRequest(vault, world.key, world.productCode, { createdAt: new Date(Date.now() - 31 * 86_400_000).toISOString() });
    await page.getByLabel('Aanvraagbestand', { exact: true }).setInputFiles(asFile('nomina-activation-request.json', JSON.stringify(old)));
    await page.getByRole('button', { name: 'Het licentiebestand maken' }).click();
    await page.getByText('Deze aanvraag is meer dan 30 dagen oud.', { exact: false }).waitFor();
    await check(page, 'privacy-offline-refused-nl');

    // The seat freed by the release above takes the next PC.
    const vaultRequest = activationRequest(vault, world.key, world.productCode);
    // With the keyboard alone: paste, Tab to the button, Enter; the focus lands on the download, Enter saves it.
    await page.getByLabel('Of plak de tekst van de aanvraag').fill(requestText(vaultRequest));
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('BUTTON');
    await page.keyboard.press('Enter');
    await page.getByText(/^Het licentiebestand is klaar\./).waitFor();
    expect(await focused(page)).toBe('A');
    await check(page, 'privacy-offline-issued-nl');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toBe('nomina-licence.lic');
    const licenceFile = { text: readFileSync((await download.path())!, 'utf8') };
    vaultFile = await verifyLicenceFile(licenceFile.text.trim(), jwks, vaultRequest, OFFLINE_DAYS);
  });
});

async function staffSignIn(page: Page, account: { email: string; password: string }) {
  await page.goto(`${service.url}/console/`);
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
}

describe('support in the console', () => {
  it('sees the offline PC on the licence, frees it with its release file, and issues a licence file with a reason', async () => {
    const page = await newPage('en-GB');
    await staffSignIn(page, staff.support);
    await page.goto(`${service.url}/console/licences/${world.licenceId}`);
    await page.getByRole('heading', { level: 1, name: /^Licence / }).waitFor();
    // The holder's Dutch offline PC: active, marked offline, with its licence file's expiry.
    await page.getByRole('cell', { name: /^active offline \(licence file until .+\)$/ }).waitFor();
    await check(page, 'console-licence-offline-device');

    // Reached from the licence with the keyboard.
    await page.getByRole('link', { name: 'Offline activation: issue a licence file or accept a release file' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Offline activation' }).waitFor();
    expect(await focused(page)).toBe('H1');
    await check(page, 'console-offline');

    const issue = page.getByRole('region', { name: 'Issue a licence file' });
    const archiveRequest = activationRequest(archive, world.key, world.productCode);
    await issue.getByLabel('Request file', { exact: true }).setInputFiles(asFile('nomina-activation-request.json', JSON.stringify(archiveRequest)));
    // The reason is required.
    await issue.getByRole('button', { name: 'Issue licence file' }).click();
    await issue.getByText('Give a reason of 8 to 500 characters.').waitFor();
    expect(await focused(page)).toBe('TEXTAREA');
    // Full licence (two online PCs and the holder's Dutch offline one): refused, in words.
    await issue.getByLabel('Reason (recorded in the audit trail)').fill('SUP-5120 holder works at a secure site');
    await issue.getByRole('button', { name: 'Issue licence file' }).click();
    await issue.getByRole('alert').getByText('The licence is in use on as many computers as its policy allows.', { exact: false }).waitFor();
    await check(page, 'console-offline-refused');

    // The holder's Dutch offline PC wrote a release file and mailed it in; support accepts it with a reason.
    const vaultRelease = await releaseFile(vault, { lic: world.licenceId, dev: vaultFile.dev, act: vaultFile.jti, product: world.productCode });
    const release = page.getByRole('region', { name: 'Upload a release file' });
    await release.getByLabel('Or paste the release file’s text').fill(vaultRelease);
    await release.getByLabel('Reason (recorded in the audit trail)').fill('SUP-5120 vault PC handed back');
    await release.getByRole('button', { name: 'Accept release file' }).click();
    await release.getByRole('status').getByText(/^The PC was released .+; its seat is free\./).waitFor();

    // Now the archive PC gets its licence file.
    await issue.getByLabel('Request file', { exact: true }).setInputFiles(asFile('nomina-activation-request.json', JSON.stringify(archiveRequest)));
    await issue.getByLabel('Reason (recorded in the audit trail)').fill('SUP-5120 holder works at a secure site');
    await issue.getByRole('button', { name: 'Issue licence file' }).click();
    await issue.getByRole('status').getByText(/^Licence file issued for a new PC on this licence\. It works until .+\.$/).waitFor();
    expect(await focused(page)).toBe('A');
    await check(page, 'console-offline-issued');
    const licenceFile = await downloadFrom(page, /^Download the licence file \(nomina-licence\.lic\)$/);
    expect(licenceFile.name).toBe('nomina-licence.lic');
    const archiveFile = await verifyLicenceFile(licenceFile.text.trim(), jwks, archiveRequest, OFFLINE_DAYS);
    expect(archiveFile.sub).toBe(world.licenceId);

    // Two releases in 30 days is this policy's budget (the holder's and the one above): a third is refused, in words.
    await release.getByLabel('Or paste the release file’s text').fill(await releaseFile(archive, { lic: world.licenceId, dev: archiveFile.dev, act: archiveFile.jti, product: world.productCode }));
    await release.getByLabel('Reason (recorded in the audit trail)').fill('SUP-5121 archive PC handed back');
    await release.getByRole('button', { name: 'Accept release file' }).click();
    await release.getByRole('alert').getByText('The licence has used its transfers for these 30 days.', { exact: false }).waitFor();

    // The same screen in Dutch.
    await page.getByLabel('Language').selectOption('nl');
    await page.getByRole('heading', { level: 1, name: 'Offline activeren' }).waitFor();
    await page.getByText(/^Licentiebestand uitgegeven voor een nieuwe pc op deze licentie\./).waitFor();
    await check(page, 'console-offline-issued-nl');
  });

  it('is not offered to an auditor or a privacy officer, and the server refuses them', async () => {
    for (const role of ['auditor', 'privacy_officer'] as const) {
      const page = await newPage('en-GB');
      await staffSignIn(page, staff[role]);
      expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Offline activation' }).count()).toBe(0);
      const token = (await api('POST', '/v1/staff/sessions', staff[role])).body.token as string;
      const request = activationRequest(pcOf(`DENIED-${role}`, '00:1A:2B:3C:7D:09'), world.key, world.productCode);
      expect((await api('POST', '/v1/offline-activations', { request, reason: 'should not be allowed here' }, token)).status).toBe(403);
    }
  });
});
