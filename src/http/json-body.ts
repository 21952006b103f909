/**
 * JSON body parsing with the checks express.json() lacks: duplicate keys are refused (JSON.parse
 * silently keeps the last one, so `{"key":"A","key":"B"}` could pass one value to a check and
 * another to storage), so is nesting deeper than any route reads, and bodies are size-limited per
 * route. Only UTF-8 is accepted (RFC 8259 §8.1): with another charset the scan would read other
 * text than the parser does.
 */
import express, { type Request, type RequestHandler } from 'express';
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

export function jsonBody(limit: string | number): RequestHandler {
  return express.json({
    limit,
    strict: true,
    type: ['application/json', 'application/*+json'],
    verify: (req, _res, buf, encoding) => {
      if (encoding && !/^utf-?8$/i.test(encoding)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send UTF-8 encoded JSON');
      const text = buf.toString('utf8');
      const problem = findJsonProblem(text);
      if (problem?.kind === 'duplicate') throw new AppError('MALFORMED_JSON', `duplicate key "${problem.key.slice(0, 100)}"`, { errors: [{ pointer: problem.pointer, detail: 'duplicate key' }] });
      if (problem?.kind === 'too_deep') throw new AppError('MALFORMED_JSON', `nested deeper than ${MAX_JSON_DEPTH} levels`, { errors: [{ pointer: problem.pointer, detail: 'nested too deeply' }] });
      if (text.includes('\\u0000')) bodiesWithNul.add(req as Request);
    },
  });
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
