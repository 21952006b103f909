import { ntAccountIndex } from '../devices/device-identity';
import type { Prisma } from '../generated/prisma/client';
import type { Services } from '../services';
import { keyLookup } from './licence-keys';
import type { LicenceListQuery } from './licences.schemas';
import { LICENCE_INCLUDE } from './present-licence';
import { likeLiteral } from '../db/like-literal';

/**
 * "x7k9", "X7K9", "x7ko" (O typed for 0) → "X7K0": Crockford base32 as keys are printed. The last
 * character is the check character, which may also be one of * ~ $ = U.
 */
export function lastFourOf(q: string): string | null {
  const typed = q.trim().toUpperCase();
  if (!/^[0-9A-Z]{3}[0-9A-Z*~$=]$/.test(typed)) return null;
  const body = typed.slice(0, 3).replace(/O/g, '0').replace(/[IL]/g, '1');
  const check = typed[3] === 'U' ? 'U' : typed[3].replace('O', '0').replace(/[IL]/, '1');
  const candidate = body + check;
  return /^[0-9A-HJKMNP-TV-Z]{3}[0-9A-HJKMNP-TV-Z*~$=U]$/.test(candidate) ? candidate : null;
}

/**
 * What `?q=` matches (docs/architecture.md §1, support): a key (by its digest) or its last four characters, the
 * holder's name (every word typed must be a word of the name), e-mail, a PC name or an NT account —
 * exact matches through blind indexes, since none of them is stored in clear — or part of the
 * organisation's name.
 */
export function searchCondition(services: Services, q: string): Prisma.LicenceWhereInput {
  const { blindIndex } = services;
  const any: Prisma.LicenceWhereInput[] = [{ customer: { nameSearch: { contains: likeLiteral(q.toLowerCase()) } } }];
  const key = keyLookup(services.config.secrets.keyPepper, q);
  if (key.wellFormed) any.push({ keyDigest: key.digest });
  const lastFour = lastFourOf(q);
  if (lastFour) any.push({ keyLast4: lastFour });
  const names = blindIndex.ofNameTokens(q);
  if (names.length > 0) any.push({ holder: { nameIndexes: { hasEvery: names } } });
  if (q.includes('@')) any.push({ holder: { emailIndex: blindIndex.of('email', q) } });
  any.push({ devices: { some: { pcNameIndex: blindIndex.of('pc_name', q) } } });
  const slash = q.indexOf('\\');
  const account = slash >= 0 ? ntAccountIndex(blindIndex, q.slice(0, slash), q.slice(slash + 1)) : ntAccountIndex(blindIndex, null, q);
  any.push({ users: { some: { ntAccountIndex: account } } });
  if (slash < 0) any.push({ users: { some: { ntUserIndex: account } } });
  return { OR: any };
}

export async function listLicences(services: Services, query: LicenceListQuery) {
  return services.prisma.licence.findMany({
    where: {
      AND: [
        { customerId: query.customerId, holderId: query.holderId, status: query.status, id: query.after ? { gt: query.after } : undefined },
        query.q ? searchCondition(services, query.q) : {},
      ],
    },
    include: LICENCE_INCLUDE,
    orderBy: { id: 'asc' },
    take: query.limit,
  });
}
