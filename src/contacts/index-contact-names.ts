/**
 * Name search arrived after contacts existed: their names are encrypted, so no SQL migration can
 * compute the blind indexes (the index key is not in the database). At start-up, contacts whose
 * `nameIndexes` is still empty get theirs, in small batches. Re-runnable: a crash midway leaves
 * the rest empty for the next start. Erased subjects (no key) are skipped.
 */
import type { Services } from '../services';

const BATCH = 200;

export async function indexContactNames(services: Services): Promise<number> {
  let indexed = 0;
  let after: string | undefined;
  for (;;) {
    const rows = await services.prisma.contact.findMany({
      where: { nameIndexes: { isEmpty: true }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, firstNameEnc: true, lastNameEnc: true }, orderBy: { id: 'asc' }, take: BATCH,
    });
    if (rows.length === 0) return indexed;
    for (const row of rows) {
      const key = await services.subjects.loadKey(row.id);
      if (!key) continue;
      const first = services.subjects.decryptWith(key, row.id, 'contact.firstName', row.firstNameEnc);
      const last = services.subjects.decryptWith(key, row.id, 'contact.lastName', row.lastNameEnc);
      const nameIndexes = services.blindIndex.ofNameTokens(first, last);
      if (nameIndexes.length === 0) continue;
      await services.prisma.contact.update({ where: { id: row.id }, data: { nameIndexes } });
      indexed += 1;
    }
    after = rows[rows.length - 1].id;
  }
}
