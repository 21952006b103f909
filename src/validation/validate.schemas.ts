import { z } from 'zod';
import { ProductCode } from '../catalogue/catalogue.schemas';
import { isoDate } from '../http/common-schemas';
import { DeviceBody } from '../devices/device-identity';

const shortText = (max: number) => z.string().trim().max(max).refine((v) => !/[\u0000-\u001F\u007F]/.test(v), 'control characters are not allowed');

/**
 * POST /v1/validate (DESIGN §12). Unknown fields are ignored rather than refused: older servers
 * must keep answering newer SDKs, which may send more.
 */
export const ValidateBody = z.object({
  /** any string: a malformed key is a NOT_FOUND verdict, not a 400 */
  key: z.string().max(256),
  product: ProductCode,
  device: DeviceBody,
  app: z.object({ version: shortText(64).optional(), os: shortText(128).optional() }).optional(),
  nonce: z.string().min(8).max(128).regex(/^[\x21-\x7E]+$/, 'printable ASCII without spaces'),
  clientTime: isoDate.optional(),
  /** after DEVICE_RELEASED: take a seat again for this PC (counted against maxMachines) */
  activate: z.boolean().optional(),
});
export type ValidateBody = z.infer<typeof ValidateBody>;
