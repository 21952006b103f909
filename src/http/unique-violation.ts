/**
 * Prisma's unique violation (P2002) as a 409 that names the field, as every other refusal of a
 * request's input does (problem+json with a pointer). The constraint's columns come from the
 * driver adapter's error — PGlite's names the fields (`meta.driverAdapterError.cause.constraint
 * .fields`), `pg`'s the index and its table — or from `meta.target`; never the duplicated value
 * itself, which PostgreSQL's message holds and which may be personal.
 */
import { AppError, type FieldError } from './problem';

/** Columns that hold a keyed hash of what the request sent: reported under the request's field. */
const REQUEST_FIELD_OF: Record<string, string> = { emailIndex: 'email' };
/** Columns no request sets (digests, dedupe keys, index columns): no pointer for them. */
const INTERNAL = /(Digest|Hash|Index|Key)$|^(dedupeKey|openKey)$/;

export function uniqueViolation(meta: unknown): AppError {
  const columns = columnsOf(meta);
  const model = typeof (meta as { modelName?: unknown })?.modelName === 'string' ? lowerFirst((meta as { modelName: string }).modelName) : 'resource';
  // In a composite key, the …Id columns are the scope (a policy's name within its product).
  const scope = columns.filter((c) => c.endsWith('Id') && columns.length > 1);
  const fields = columns.filter((c) => !scope.includes(c)).map((c) => REQUEST_FIELD_OF[c] ?? c).filter((c) => !INTERNAL.test(c));
  const within = scope.length > 0 ? ` for this ${scope.map((c) => c.slice(0, -2)).join(' and ')}` : '';
  if (fields.length === 0) return new AppError('ALREADY_EXISTS', `this ${model} already exists${within}`);
  const errors: FieldError[] = fields.map((field) => ({ pointer: `/${field}`, detail: `already used by another ${model}${within}` }));
  return new AppError('ALREADY_EXISTS', `a ${model} with this ${fields.join(' and ')} already exists${within}`, { errors });
}

function columnsOf(meta: unknown): string[] {
  const m = meta as { target?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: unknown; index?: unknown }; table?: unknown } } } | undefined;
  const cause = m?.driverAdapterError?.cause;
  const raw = cause?.constraint?.fields ?? m?.target ?? columnsOfIndex(cause?.constraint?.index, cause?.table);
  return Array.isArray(raw) ? raw.filter((c): c is string => typeof c === 'string').map((c) => c.replace(/^"|"$/g, '')) : [];
}

/**
 * `pg` names the violated index instead (PostgreSQL's constraint name): Prisma's migrations name
 * unique indexes `<table>_<column>_…_key`, and this schema's columns are camelCase, without `_`.
 */
function columnsOfIndex(index: unknown, table: unknown): string[] | undefined {
  if (typeof index !== 'string' || typeof table !== 'string') return undefined;
  const prefix = `${table}_`;
  if (!index.startsWith(prefix) || !index.endsWith('_key')) return undefined;
  return index.slice(prefix.length, -'_key'.length).split('_').filter(Boolean);
}

/** "StaffUser" → "staff user" */
const lowerFirst = (s: string) => s.replace(/(?!^)([A-Z])/g, ' $1').toLowerCase();
