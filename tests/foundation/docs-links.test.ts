/**
 * The documentation is self-contained: every relative link in the repository's Markdown resolves,
 * and nothing sends a reader to a design file kept outside the repository.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const SKIP = new Set(['node_modules', 'dist', 'dist-examples', '.git', 'generated', 'data', 'coverage']);

function files(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (SKIP.has(name)) return [];
    if (statSync(full).isDirectory()) return files(full, keep);
    return keep(name) ? [full] : [];
  });
}

const markdown = files(root, (name) => name.endsWith('.md'));
const text = files(root, (name) => /\.(ts|js|md|sql|prisma|json|yml)$/.test(name) && name !== 'package-lock.json');

describe('the documentation', () => {
  it('has the operator and integrator documents', () => {
    for (const doc of ['docs/README.md', 'docs/architecture.md', 'docs/public-contract.md', 'docs/operating.md']) expect(existsSync(path.join(root, doc))).toBe(true);
  });

  it.each(markdown.map((f) => [path.relative(root, f), f] as const))('%s links only to files that exist', (_name, file) => {
    const broken = [...readFileSync(file, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1])
      .filter((target) => !/^(https?:|mailto:|#)/.test(target))
      .filter((target) => !existsSync(path.resolve(path.dirname(file), decodeURIComponent(target.split('#')[0]))));
    expect(broken).toEqual([]);
  });

  it('refers to no design file outside the repository', () => {
    const offenders = text
      .filter((f) => !/prisma\/migrations\/20261122030000_telemetry_partitions\/migration\.sql$/.test(f)) // applied: its text cannot change
      .filter((f) => !f.endsWith('docs-links.test.ts') && !f.endsWith('openapi-document.test.ts'))
      .filter((f) => /DESIGN\.md|DESIGN §|shared folder/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
  });
});
