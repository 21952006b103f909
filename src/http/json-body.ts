/**
 * JSON body parsing with the checks express.json() lacks: duplicate keys are refused (JSON.parse
 * silently keeps the last one, so `{"key":"A","key":"B"}` could pass one value to a check and
 * another to storage), so is nesting deeper than any route reads, and bodies are size-limited per
 * route. Only UTF-8 is accepted (RFC 8259 §8.1): with another charset the scan would read other
 * text than the parser does.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import { AppError, jsonPointer } from './problem';

/** Far deeper than any body a route accepts (telemetry: 4 levels), far shallower than the stack. */
export const MAX_JSON_DEPTH = 32;

const bodiesWithNul = new WeakSet<Request>();

/**
 * Whether the body's text escapes a NUL character (`\u0000`): PostgreSQL text cannot hold one, so
 * the pipeline looks for it in the parsed body only when the text has one.
 */
export function bodyMayHoldNul(req: Request): boolean {
  return bodiesWithNul.has(req);
}

/**
 * The checks on the body's text, before it is parsed. A leading byte order mark is left out, as
 * the parser leaves it out (body-parser decodes with iconv-lite, which strips it): the scan must
 * read the text the parser reads, or a BOM would hide a duplicate key from it.
 */
function checkJsonText(req: Request, text: string): void {
  const scanned = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const problem = findJsonProblem(scanned);
  if (problem?.kind === 'duplicate') throw new AppError('MALFORMED_JSON', `duplicate key "${problem.key.slice(0, 100)}"`, { errors: [{ pointer: problem.pointer, detail: 'duplicate key' }] });
  if (problem?.kind === 'too_deep') throw new AppError('MALFORMED_JSON', `nested deeper than ${MAX_JSON_DEPTH} levels`, { errors: [{ pointer: problem.pointer, detail: 'nested too deeply' }] });
  if (scanned.includes('\\u0000')) bodiesWithNul.add(req);
}

export function jsonBody(limit: string | number): RequestHandler {
  return express.json({
    limit,
    strict: true,
    type: ['application/json', 'application/*+json'],
    verify: (req, _res, buf, encoding) => {
      if (encoding && !/^utf-?8$/i.test(encoding)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send UTF-8 encoded JSON');
      checkJsonText(req as Request, buf.toString('utf8'));
    },
  });
}

/** A body-parser middleware as a promise (the route handlers await the body before anything else). */
export function promisedJsonBody(parser: ReturnType<typeof jsonBody>): (req: Request, res: Response) => Promise<void> {
  return (req, res) => new Promise<void>((resolve, reject) => parser(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
}

/** '256kb' → 262144, as express.json reads its limit (the `bytes` package: units of 1024). */
function sizeInBytes(limit: string | number): number {
  if (typeof limit === 'number') return limit;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/i.exec(limit.trim());
  if (!match) throw new Error(`not a size: ${limit}`);
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  return Math.floor(Number(match[1]) * unit);
}

/** `Content-Type: application/json`, optionally with charset UTF-8: the one type the fast reader takes. */
const PLAIN_JSON = /^application\/json[ \t]*(?:;[ \t]*charset=(?:utf-8|"utf-8")[ \t]*)?$/i;

/**
 * The body as `jsonBody(limit)` reads it, with a shorter way for the common request: a
 * `Content-Length` within the limit, `application/json` (UTF-8), no `Content-Encoding`. That one
 * is read into one buffer, decoded once, checked (checkJsonText) and parsed here; every other
 * request — chunked, compressed, another type or charset, empty, over the limit — goes to
 * express.json unchanged, so its answers (413, 415, …) are the same by construction. For the
 * common request the answers are the same too: the same checks in the same order, the same
 * errors (tests/validation/direct-route.test.ts compares them with the router's path, which
 * uses express.json). What is saved is body-parser's content-type and charset parsing, raw-body's
 * stream plumbing, iconv's decoder and a second UTF-8 decode for the scan.
 */
export function fastJsonBody(limit: string | number, viaExpress = promisedJsonBody(jsonBody(limit))): (req: Request, res: Response) => Promise<void> {
  const limitBytes = sizeInBytes(limit);
  return (req, res) => {
    const headers = req.headers;
    const lengthHeader = headers['content-length'];
    const type = headers['content-type'];
    const length = lengthHeader === undefined ? NaN : Number(lengthHeader);
    if (!(length > 0) || length > limitBytes || !/^\d+$/.test(lengthHeader!) || headers['transfer-encoding'] !== undefined
      || headers['content-encoding'] !== undefined || type === undefined || !PLAIN_JSON.test(type) || (req as { _body?: boolean })._body) {
      return viaExpress(req, res);
    }
    return new Promise<void>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let received = 0;
      let done = false;
      const finish = (error?: unknown) => {
        if (done) return;
        done = true;
        req.removeListener('data', onData);
        req.removeListener('end', onEnd);
        req.removeListener('aborted', onAborted);
        req.removeListener('error', onError);
        if (error) reject(error);
        else resolve();
      };
      const onData = (chunk: Buffer) => { chunks.push(chunk); received += chunk.length; };
      const onAborted = () => finish(Object.assign(new Error('request aborted'), { type: 'request.aborted', status: 400, expose: true }));
      const onError = (error: unknown) => finish(error);
      const onEnd = () => {
        if (received !== length) return finish(Object.assign(new Error('request size did not match content length'), { type: 'request.size.invalid', status: 400, expose: true }));
        try {
          const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received)).toString('utf8');
          checkJsonText(req, text);
          const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
          // strict, as express.json: only an object or an array (after white space).
          const first = /^[ \t\n\r]*(.)/.exec(json)?.[1];
          if (first !== '{' && first !== '[') throw Object.assign(new SyntaxError('strict JSON: an object or an array'), { type: 'entity.parse.failed', status: 400, expose: true });
          let parsed: unknown;
          try {
            parsed = JSON.parse(json);
          } catch (error) {
            throw Object.assign(error as Error, { type: 'entity.parse.failed', status: 400, expose: true });
          }
          req.body = parsed;
          (req as { _body?: boolean })._body = true;
          finish();
        } catch (error) {
          finish(error);
        }
      };
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('aborted', onAborted);
      req.on('error', onError);
    });
  };
}

export type JsonProblem = { kind: 'duplicate'; key: string; pointer: string } | { kind: 'too_deep'; pointer: string };

/**
 * Scans JSON text for an object that names the same key twice, or for nesting deeper than
 * MAX_JSON_DEPTH (which also keeps this recursive scan far from the stack limit: a stack overflow
 * used to end the scan as "no duplicate", so a deep value hid a duplicate key after it). Returns
 * null for valid JSON without either, and also for invalid JSON (JSON.parse reports that afterwards).
 */
export function findJsonProblem(text: string): JsonProblem | null {
  let i = 0;
  const path: string[] = [];
  const skipWs = () => { while (i < text.length && ' \t\r\n'.includes(text[i])) i++; };
  // Only keys need their value, and only escaped ones need decoding: values are skipped, which
  // keeps the scan a small fraction of JSON.parse on large telemetry batches.
  const readString = (decode: boolean): string => {
    const start = i;
    i++;
    let escaped = false;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') { escaped = true; i += 2; } else i += 1;
    }
    i++;
    if (!decode) return '';
    if (!escaped) return text.slice(start + 1, i - 1);
    try { return JSON.parse(text.slice(start, i)) as string; } catch { throw new Error('bad string'); }
  };
  const pointer = (key: string) => jsonPointer([...path, key]);
  const readValue = (): JsonProblem | null => {
    skipWs();
    if (path.length > MAX_JSON_DEPTH) return { kind: 'too_deep', pointer: jsonPointer(path.slice(0, MAX_JSON_DEPTH)) };
    const ch = text[i];
    if (ch === '{') {
      i++;
      const seen = new Set<string>();
      skipWs();
      if (text[i] === '}') { i++; return null; }
      while (i < text.length) {
        skipWs();
        if (text[i] !== '"') throw new Error('expected key');
        const key = readString(true);
        if (seen.has(key)) return { kind: 'duplicate', key, pointer: pointer(key) };
        seen.add(key);
        skipWs();
        i++; // ':'
        path.push(key);
        const found = readValue();
        path.pop();
        if (found) return found;
        skipWs();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return null; }
        throw new Error('expected , or }');
      }
      throw new Error('unterminated object');
    }
    if (ch === '[') {
      i++;
      let index = 0;
      skipWs();
      if (text[i] === ']') { i++; return null; }
      while (i < text.length) {
        path.push(String(index++));
        const found = readValue();
        path.pop();
        if (found) return found;
        skipWs();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return null; }
        throw new Error('expected , or ]');
      }
      throw new Error('unterminated array');
    }
    if (ch === '"') { readString(false); return null; }
    while (i < text.length && !',}] \t\r\n'.includes(text[i])) i++;
    return null;
  };
  try {
    return readValue();
  } catch {
    return null;
  }
}
