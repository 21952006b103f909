import { ntAccountIndex } from '../devices/device-identity';
import type { Prisma } from '../generated/prisma/client';
import type { Services } from '../services';
import { keyLookup } from './licence-keys';
import type { LicenceListQuery } from './licences.schemas';
import { LICENCE_INCLUDE } from './present-licence';

/**
 * What `?q=` matches (docs/architecture.md §1, support): a key (by its digest), the holder's e-mail, a PC name
 * or an NT account — exact matches through blind indexes, since none of them is stored in clear —
 * or part of the organisation's name.
 */
export function searchCondition(services: Services, q: string): Prisma.LicenceWhereInput {
  const { blindIndex } = services;
  const any: Prisma.LicenceWhereInput[] = [{ customer: { nameSearch: { contains: q.toLowerCase() } } }];
  const key = keyLookup(services.config.secrets.keyPepper, q);
  if (key.wellFormed) any.push({ keyDigest: key.digest });
  if (q.includes('@')) any.push({ holder: { emailIndex: blindIndex.of('email', q) } });
  any.push({ devices: { some: { pcNameIndex: blindIndex.of('pc_name', q) } } });
  const slash = q.indexOf('\\');
  const account = slash >= 0 ? ntAccountIndex(blindIndex, q.slice(0, slash), q.slice(slash + 1)) : ntAccountIndex(blindIndex, null, q);
  any.push({ users: { some: { ntAccountIndex: account } } });
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
