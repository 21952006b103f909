import { defineRoute, publicAccess } from '../http/route';
import { keyLookup } from '../licences/licence-keys';
import { validateLicence } from './validate-licence';
import { VALIDATE_EXAMPLE, ValidateBody, VERDICT_EXAMPLE, VerdictView } from './validate.schemas';

// An app validates at start-up: a key seen 60 times a minute is a script. An address is shared
// by a whole office behind NAT, hence the larger budget.
export const VALIDATE_PER_KEY = { points: 60, durationSeconds: 60 };
export const VALIDATE_PER_ADDRESS = { points: 1200, durationSeconds: 60 };

export const validateRoutes = [
  defineRoute({
    method: 'post', path: '/v1/validate', tag: 'validation', access: publicAccess, body: ValidateBody,
    response: { status: 200, description: 'the verdict, a refusal included (Cache-Control: no-store)', schema: VerdictView, example: VERDICT_EXAMPLE },
    example: VALIDATE_EXAMPLE, rateLimited: true, etag: false,
    // A real request is under 2 kB. The limit is set high enough that a broken client sending
    // thousands of MAC addresses gets a 400 pointing at the field (the contract: "oversized lists" are
    // malformed input), while a body beyond any such list is refused (413) before parsing.
    bodyLimit: '256kb',
    summary: 'Validate a licence key on a device: always 200 with a verdict code and a signed licence token',
    async handler({ services, body, req }) {
      const lookup = keyLookup(services.config.secrets.keyPepper, body.key);
      const clientAddress = req.ip ?? null; // a getter that walks X-Forwarded-For each time: read once
      await services.rateLimits.consume('validate-address', VALIDATE_PER_ADDRESS, clientAddress ?? 'unknown');
      await services.rateLimits.consume('validate-key', VALIDATE_PER_KEY, lookup.digest);
      const verdict = await validateLicence(services, body, lookup, { clientAddress });
      return { body: verdict, headers: { 'Cache-Control': 'no-store' } };
    },
  }),
];
