/**
 * Real Chromium (Debian's package) driven by playwright-core, axe-core for accessibility, and a
 * screenshot of every screen at 1280×800 under test-artifacts/screens/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

const SCREENS = path.resolve(__dirname, '../../../test-artifacts/screens');
export const VIEWPORT = { width: 1280, height: 800 };

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export const pageProblems: string[] = [];
/** The page a test used last: its final state is saved after the test, to see why a step failed. */
export const lastPage: { current: Page | null } = { current: null };

export async function saveLastPage(name: string): Promise<void> {
  const page = lastPage.current;
  lastPage.current = null;
  if (!page || page.isClosed()) return;
  const dir = path.resolve(SCREENS, '../last-state');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`) }).catch(() => undefined);
  await page.context().close().catch(() => undefined);
}

export async function openPage(browser: Browser, locale = 'en-GB'): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale, timezoneId: 'Europe/Brussels', reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  lastPage.current = page;
  // Script errors and failed API calls end up in the failure output, not only in a screenshot.
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
  page.on('response', (res) => { if (res.status() >= 400 && res.url().includes('/v1/') && !res.url().endsWith('/v1/staff/sessions/current')) pageProblems.push(`${res.request().method()} ${new URL(res.url()).pathname} → ${res.status()}`); });
  return page;
}

/** No serious or critical axe violation; the rest are reported in the failure message if any. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect({ screen, violations: bad }).toEqual({ screen, violations: [] });
}

/** Saves the screen and checks it: every screen a journey passes is both photographed and axe-checked. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, `${name}-${VIEWPORT.width}.png`), fullPage: false });
  await expectAccessible(page, name);
}

export async function signIn(page: Page, baseUrl: string, account: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
}

/** A pattern for text ending with `s` (a key's last four may hold $ or *). */
export const endingWith = (s: string) => new RegExp(`${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
