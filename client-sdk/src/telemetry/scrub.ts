/**
 * Error reports must not carry personal data (docs/architecture.md §6): messages and stacks routinely contain
 * the user's profile path, e-mail addresses and the machine's name. Scrubbing happens on the
 * device, before anything is queued, so nothing personal is ever written to the queue either.
 */

export interface ScrubContext {
  userName?: string;
  hostName?: string;
  domain?: string;
}

const WINDOWS_PROFILE = /\b([A-Za-z]:[\\/]+(?:Users|Documents and Settings)[\\/]+)[^\\/:*?"<>|\r\n]+/gi;
const UNIX_PROFILE = /(\/(?:home|Users)\/)[^/\s:'"]+/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
const MAC = /\b[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}\b/g;
// Shorter names ("a", "pc") would mangle ordinary words.
const MIN_NAME_LENGTH = 3;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function nameMatcher(name: string | undefined): RegExp | null {
  if (!name || name.length < MIN_NAME_LENGTH) return null;
  return new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(name)}(?![A-Za-z0-9])`, 'gi');
}

export type Scrubber = (text: string) => string;

/** Builds the scrubber once (regexes compiled up front) because it runs on every tracked string. */
export function createScrubber(context: ScrubContext = {}): Scrubber {
  const names: Array<[RegExp, string]> = [];
  for (const [name, replacement] of [[context.userName, '<user>'], [context.hostName, '<host>'], [context.domain, '<domain>']] as const) {
    const matcher = nameMatcher(name);
    if (matcher) names.push([matcher, replacement]);
  }
  return (text) => {
    let scrubbed = text
      .replace(WINDOWS_PROFILE, '$1<user>')
      .replace(UNIX_PROFILE, '$1<user>')
      .replace(EMAIL, '<email>')
      .replace(MAC, '<mac>')
      .replace(IPV4, '<ip>');
    for (const [matcher, replacement] of names) scrubbed = scrubbed.replace(matcher, replacement);
    return scrubbed;
  };
}
