/**
 * The installed `nomina` binary (bin/nomina.js → the compiled CLI), run as a user would.
 * Builds the project first (TypeScript 7: a few seconds).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

it('runs the compiled CLI from bin/nomina.js', () => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'pipe' });
  const help = execFileSync(process.execPath, [path.join(root, 'bin', 'nomina.js'), '--help'], { cwd: root, encoding: 'utf8' });
  for (const command of ['staff', 'audit', 'retention', 'keys', 'backup', 'migrate']) expect(help).toContain(command);
}, 120_000);
