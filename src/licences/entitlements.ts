/** Licence entitlements are granted on top of the policy's: a policy change reaches every licence. */
export function effectiveEntitlements(policyEntitlements: string[], licenceEntitlements: string[]): string[] {
  return [...new Set([...policyEntitlements, ...licenceEntitlements])].sort();
}
