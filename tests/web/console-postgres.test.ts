/**
 * The console on PostgreSQL (DATABASE_URL), started as `npm start` starts it on an empty
 * database: migrations, first admin, seeding through the API, and support's search by name.
 */
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { databaseUrl, dropTestDatabase, withAdminClient } from '../setup/test-database';
import { checkScreen, launchBrowser, openPage, saveLastPage, signIn, endingWith } from './support/browser';
import { startService, type RunningService } from './support/console-service';
import { seedWorld, type World } from './support/seed-world';

jest.setTimeout(180_000);

const name = `nomina_console_${randomBytes(4).toString('hex')}`;
let service: RunningService;
let browser: Browser;
let world: World;
beforeAll(async () => {
  await withAdminClient((admin) => admin.query(`CREATE DATABASE "${name}"`));
  service = await startService({ databaseUrl: databaseUrl(name) });
  try {
    world = await seedWorld(service.baseUrl);
  } catch (error) {
    throw new Error(`${String(error)}\nservice output:\n${service.output.join('')}`);
  }
  browser = await launchBrowser();
});
afterEach(() => saveLastPage(`postgres ${expect.getState().currentTestName}`));
afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await dropTestDatabase(name); // and the key vault the service opened beside it
});

it('lets support find a licence by the holder\'s name and open it, masked', async () => {
  const page = await openPage(browser);
  await signIn(page, service.baseUrl, world.staff.support);
  await page.getByRole('link', { name: 'Licences' }).click();
  await page.getByRole('searchbox', { name: 'Search' }).fill('Renee van der Berg');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('heading', { name: '1 result(s)' }).waitFor();
  await page.getByRole('link', { name: endingWith(world.supportLicence.key.slice(-4)) }).click();
  await page.getByLabel('Purpose (ticket reference)').waitFor();
  expect(await page.getByText('Van der Berg').count()).toBe(0);
  await checkScreen(page, 'licence-masked-postgres');
});
