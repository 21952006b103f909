/**
 * JSON body parsing with the checks express.json() lacks: duplicate keys are refused (JSON.parse
 * silently keeps the last one, so `{"key":"A","key":"B"}` could pass one value to a check and
 * another to storage), and bodies are size-limited per route.
 */
import express, { type RequestHandler } from 'express';
import { AppError } from './problem';

export function jsonBody(limit: string | number): RequestHandler {
  return express.json({
    limit,
    strict: true,
    type: ['application/json', 'application/*+json'],
    verify: (_req, _res, buf) => {
      const duplicate = findDuplicateKey(buf.toString('utf8'));
      if (duplicate) throw new AppError('MALFORMED_JSON', `duplicate key "${duplicate.key}"`, { errors: [{ pointer: duplicate.pointer, detail: 'duplicate key' }] });
    },
  });
}

/**
 * Scans JSON text for an object that names the same key twice. Returns null for valid JSON
 * without duplicates, and also for invalid JSON (JSON.parse reports that afterwards).
 */
export function findDuplicateKey(text: string): { key: string; pointer: string } | null {
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
  const pointer = (key: string) => '/' + [...path, key].map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  const readValue = (): { key: string; pointer: string } | null => {
    skipWs();
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
        if (seen.has(key)) return { key, pointer: pointer(key) };
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
