import type { KeyFormatFailureReason } from './key-format.js';

export type InvalidKeyReason = KeyFormatFailureReason | 'WRONG_PRODUCT';

/**
 * Thrown by start() before any network call when the key cannot be right: a typo caught by the
 * check character, or a key for another product. The message can be shown to the user as is.
 */
export class InvalidKeyError extends Error {
  override readonly name = 'InvalidKeyError';

  constructor(readonly reason: InvalidKeyReason, message: string) {
    super(message);
  }
}
