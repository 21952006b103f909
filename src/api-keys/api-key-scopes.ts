/**
 * What an API key may do. A route admits keys only through the scopes it names in the route
 * table (src/http/route.ts `orApiKey`); a key without one of them gets 403. No scope opens the
 * privacy officer's or the auditor's routes, or the management of keys and webhooks.
 */
export const API_SCOPES = [
  'licences:read',
  'licences:write',
  'devices:write',
  'customers:read',
  'customers:write',
  'catalogue:read',
  'telemetry:stats',
  // Turn activation requests into licence files and accept release files (air-gapped PCs, the vendor's portal).
  'offline:activate',
  // Personal data unmasked on a single record, when the request also states an X-Purpose (as support).
  'personal_data:unmasked',
] as const;

export type ApiScope = (typeof API_SCOPES)[number];
