/**
 * A person's text as a literal inside Prisma's `contains`: Prisma puts it into a LIKE pattern as it
 * is, so `%` and `_` typed into a search box were wildcards (`?q=%` listed every licence, `C_ntoso`
 * found "Contoso"). PostgreSQL's LIKE (and PGlite's) escapes with a backslash by default.
 */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
