/** Why a licence file was refused (docs/offline-activation.md §3); the message can be shown as is. */
export type LicenceFileErrorCode =
  | 'LICENCE_FILE_MALFORMED'
  | 'LICENCE_FILE_UNTRUSTED'
  | 'LICENCE_FILE_WRONG_PRODUCT'
  | 'LICENCE_FILE_UNKNOWN_REQUEST'
  | 'LICENCE_FILE_OTHER_DEVICE'
  | 'LICENCE_FILE_EXPIRED'
  /** createReleaseFile(): there is no imported licence file to release. */
  | 'LICENCE_FILE_MISSING';

const MESSAGES: Record<LicenceFileErrorCode, string> = {
  LICENCE_FILE_MALFORMED: 'This is not a Nomina licence file (it may have been cut short or changed).',
  LICENCE_FILE_UNTRUSTED: 'This licence file was not issued by the licence service, or it has been changed.',
  LICENCE_FILE_WRONG_PRODUCT: 'This licence file is for another product.',
  LICENCE_FILE_UNKNOWN_REQUEST: 'This licence file answers an activation request this computer did not make, or one already used.',
  LICENCE_FILE_OTHER_DEVICE: 'This licence file was issued for another computer or user account.',
  LICENCE_FILE_EXPIRED: 'This licence file has expired; make a new activation request.',
  LICENCE_FILE_MISSING: 'No licence file has been imported on this computer.',
};

/** Thrown by importLicenceFile() and createReleaseFile(); a refused file is never stored. */
export class LicenceFileError extends Error {
  override readonly name = 'LicenceFileError';

  constructor(readonly code: LicenceFileErrorCode, message = MESSAGES[code]) {
    super(message);
  }
}
