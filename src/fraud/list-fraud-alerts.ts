import type { Prisma } from '../generated/prisma/client';
import type { Services } from '../services';
import type { AlertListQuery } from './fraud.schemas';
import { presentAlertSummary } from './present-fraud-alert';

/** The staff queue. Summaries only (no evidence), so listing reads no personal data and needs no audit entry. */
export async function listFraudAlerts(services: Services, query: AlertListQuery) {
  const where: Prisma.FraudAlertWhereInput = {
    status: query.status, severity: query.severity, signal: query.signal, customerId: query.customerId, licenceId: query.licenceId,
    id: query.after ? { gt: query.after } : undefined,
  };
  const alerts = await services.prisma.fraudAlert.findMany({ where, orderBy: { id: 'asc' }, take: query.limit });
  return alerts.map(presentAlertSummary);
}
