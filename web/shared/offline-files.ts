/**
 * The files of air-gapped activation (docs/offline-activation.md) as both screens handle them:
 * a request arrives as a file or pasted text, in its JSON form or its armoured text form; the
 * licence file goes back to the person as a download made in the page (a Blob), never via a URL
 * the service would have to keep.
 */

export const LICENCE_FILE_NAME = 'nomina-licence.lic';
/** What the file pickers offer: the request (JSON or its text form) and the release file. */
export const REQUEST_ACCEPT = '.json,.txt,application/json,text/plain';
export const RELEASE_ACCEPT = '.jws,.txt,text/plain';

/**
 * The `request` member of the activation body: the request file's text, JSON or armoured text form
 * alike (the server reads both, ignores white space inside the armour and answers 400 at the field
 * that is wrong). Null when there is nothing to send.
 */
export function requestFromText(text: string): string | null {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  return trimmed === '' ? null : trimmed;
}

/** The release file's compact JWS (a file may end with a line break, or be pasted with spaces). */
export function releaseFromText(text: string): string | null {
  const compact = text.replace(/^\uFEFF/, '').replace(/\s+/g, '');
  return compact === '' ? null : compact;
}

/** The text of what was pasted, or else of the chosen file: the pasted text wins, as the person typed it last. */
export async function textOf(pasted: string, file: File | null): Promise<string> {
  if (pasted.trim() !== '') return pasted;
  return file ? file.text() : '';
}

/** An object URL for the licence file; the caller revokes it when the result is no longer shown. */
export function licenceFileUrl(licenceFile: string): string {
  return URL.createObjectURL(new Blob([licenceFile], { type: 'application/octet-stream' }));
}
