/**
 * Staff search by a Windows user name without its domain ("jdoe" for CONTOSO\jdoe) arrived after
 * accounts were bound: their names are sealed, so no SQL migration can compute the index. At
 * start-up, bound accounts without `ntUserIndex` get it, in small batches (re-runnable). Accounts
 * of an erased holder (no key) are skipped.
 */
import { ntAccountIndex } from './device-identity';
import { DEVICE_FIELDS, holderOpener } from './device-crypto';
import type { Services } from '../services';

const BATCH = 200;

export async function indexNtUsers(services: Services): Promise<number> {
  let indexed = 0;
  let after: string | undefined;
  for (;;) {
    const rows = await services.prisma.licenceUser.findMany({
      where: { ntUserIndex: null, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, ntAccountEnc: true, licence: { select: { holderId: true } } }, orderBy: { id: 'asc' }, take: BATCH,
    });
    if (rows.length === 0) return indexed;
    for (const row of rows) {
      const account = (await holderOpener(services, row.licence.holderId))(DEVICE_FIELDS.boundAccount, row.ntAccountEnc);
      if (account === null) continue;
      const user = account.slice(account.indexOf('\\') + 1);
      await services.prisma.licenceUser.update({ where: { id: row.id }, data: { ntUserIndex: ntAccountIndex(services.blindIndex, null, user) } });
      indexed += 1;
    }
    after = rows[rows.length - 1].id;
  }
}
