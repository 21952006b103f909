/**
 * Debian's Chromium driven by playwright-core (no browser download), and axe-core for the
 * WCAG checks. Screenshots go to test-artifacts/screens/<name>-<width>.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENS = path.resolve(__dirname, '../../../test-artifacts/screens');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** Serious and critical WCAG 2.1 A/AA violations on the page as it is now (an empty list passes). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The page at phone (390 px) and desktop (1280 px) width, full length; the viewport is restored. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(SCREENS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

/** True when the page needs no sideways scrolling at its current width (reflow, WCAG 1.4.10). */
export async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth <= document.documentElement.clientWidth');
}

/** The focused element's tag and name attribute, e.g. "INPUT email" (the tests have no DOM types: a string is evaluated). */
export function focused(page: Page): Promise<string> {
  return page.evaluate<string>('`${document.activeElement?.tagName ?? ""} ${document.activeElement?.getAttribute("name") ?? ""}`.trim()');
}
