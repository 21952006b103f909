/**
 * The README's privacy section is generated from the register catalogue (npm run register:markdown):
 * if the catalogue changes, this test fails until the README is regenerated, so they cannot drift.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readmeRegisterMarkdown } from '../../src/privacy/register/render-register';

it("keeps the README's privacy section identical to the register catalogue", () => {
  const readme = readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = /<!-- register:start -->\n([\s\S]*)\n<!-- register:end -->/.exec(readme)?.[1];
  expect(section).toBe(readmeRegisterMarkdown().trimEnd());
});
