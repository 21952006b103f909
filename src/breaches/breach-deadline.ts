/**
 * GDPR Art. 33: notify the supervisory authority within 72 hours of becoming aware of a breach
 * (a later notification must give the reasons for the delay). Pure.
 */
export const NOTIFICATION_HOURS = 72;

export function notificationDeadline(awareAt: Date): Date {
  return new Date(awareAt.getTime() + NOTIFICATION_HOURS * 3_600_000);
}

export type NotificationState = 'notified' | 'notified_late' | 'pending' | 'overdue';

export function notificationState(breach: { awareAt: Date; authorityNotifiedAt: Date | null }, now: Date): NotificationState {
  const deadline = notificationDeadline(breach.awareAt).getTime();
  if (breach.authorityNotifiedAt) return breach.authorityNotifiedAt.getTime() <= deadline ? 'notified' : 'notified_late';
  return now.getTime() > deadline ? 'overdue' : 'pending';
}
