import type { paths } from '../../../shared/api-types';

export type AccessEntry = paths['/v1/privacy/me/access-log']['get']['responses'][200]['content']['application/json']['items'][number];

/** A privacy request as GET /v1/privacy/me/requests presents it. */
export interface RequestItem {
  id: string; type: string; scope: string[]; status: string; receivedAt: string; dueAt: string; closedAt: string | null; outcome: string | null; overdue: boolean;
}
