/**
 * A licence is running while it is not revoked and has not expired. Erasing its holder means
 * ending the contract's performance for that person, which only a privacy officer may decide
 * (the subject is told). Suspended licences are still running: suspension is reversible.
 */
export interface LicenceState { status: 'active' | 'suspended' | 'revoked'; validUntil: Date | null }

export function isRunning(licence: LicenceState, now: Date): boolean {
  if (licence.status === 'revoked') return false;
  return licence.validUntil === null || licence.validUntil.getTime() > now.getTime();
}
