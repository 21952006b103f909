import type { Config } from '../config';
import { AppError } from '../http/problem';

/** Events leave the building signed but not encrypted by us: only https in production. */
export function checkEndpointUrl(config: Config, url: string, pointer = '/url'): void {
  const parsed = new URL(url);
  if (config.env === 'production' && parsed.protocol !== 'https:') {
    throw new AppError('VALIDATION_FAILED', `${pointer}: must be an https URL`, { errors: [{ pointer, detail: 'must be an https URL' }] });
  }
  if (parsed.username || parsed.password) {
    throw new AppError('VALIDATION_FAILED', `${pointer}: must not carry credentials`, { errors: [{ pointer, detail: 'must not carry credentials; verify the signature instead' }] });
  }
}
