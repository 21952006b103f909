/**
 * The screens' API types (web/shared/api-types.ts) are generated from the route table's OpenAPI
 * document; a route changed without `npm run web:types` fails here. Runs the built generator
 * (npm test builds first) in check mode, which writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const generator = path.join(root, 'dist/scripts/generate-web-types.js');

describe('web/shared/api-types.ts', () => {
  it('matches the OpenAPI document of the current routes', () => {
    expect(existsSync(generator)).toBe(true);
    const run = spawnSync(process.execPath, [generator, '--check'], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
