import type { Prisma } from '../../generated/prisma/client';
import type { Services } from '../../services';
import type { RequestQueueQuery } from '../privacy.schemas';
import { OPEN_STATUSES } from './request-status';

const DAY = 86_400_000;

/**
 * The privacy officer's queue, oldest deadline first. "Due" is the deadline in force
 * (extended if extended), matched in SQL as COALESCE(extendedDueAt, dueAt) through an OR.
 */
export async function listRequests(services: Services, query: RequestQueueQuery) {
  const now = services.now();
  const dueBefore = (limit: Date): Prisma.PrivacyRequestWhereInput => ({
    OR: [{ extendedDueAt: null, dueAt: { lt: limit } }, { extendedDueAt: { lt: limit } }],
  });
  const and: Prisma.PrivacyRequestWhereInput[] = [];
  if (query.status === 'open' || query.overdue || query.dueWithinDays !== undefined) and.push({ status: { in: [...OPEN_STATUSES] } });
  else if (query.status) and.push({ status: query.status });
  if (query.type) and.push({ type: query.type });
  if (query.overdue === true) and.push(dueBefore(now));
  if (query.overdue === false) and.push({ NOT: dueBefore(now) });
  if (query.dueWithinDays !== undefined) and.push(dueBefore(new Date(now.getTime() + query.dueWithinDays * DAY)));
  if (query.after) and.push({ id: { gt: query.after } });
  return services.prisma.privacyRequest.findMany({ where: { AND: and }, orderBy: [{ id: 'asc' }], take: query.limit });
}
