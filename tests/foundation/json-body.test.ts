import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, Response } from 'express';
import { fastJsonBody, findJsonProblem, MAX_JSON_DEPTH } from '../../src/http/json-body';

describe('findJsonProblem: duplicate keys', () => {
  it.each([
    ['{"a":1,"b":{"c":[1,{"d":2,"d":3}]}}', { key: 'd', pointer: '/b/c/1/d' }],
    ['{"a":1,"a":2}', { key: 'a', pointer: '/a' }],
    ['{"k\\u0065y":1,"key":2}', { key: 'key', pointer: '/key' }],
    ['{"a/b":{"x":1,"x":1}}', { key: 'x', pointer: '/a~1b/x' }],
    ['[{"q":"\\"a\\":1, \\"a\\":2"}]', null],
    ['{"a":"x","b":"a","c":{"a":1}}', null],
    ['{"a": [1, 2, "three"], "b": null, "c": true}', null],
    ['{"broken": ', null],
  ])('finds the duplicate in %s', (text, expected) => {
    expect(findJsonProblem(text)).toEqual(expected && { kind: 'duplicate', ...expected });
  });
});

describe('findJsonProblem', () => {
  it('reports nesting deeper than MAX_JSON_DEPTH where it starts, without overflowing the stack', () => {
    expect(findJsonProblem('['.repeat(100_000) + ']'.repeat(100_000))).toEqual({ kind: 'too_deep', pointer: `/${Array(MAX_JSON_DEPTH).fill('0').join('/')}` });
    expect(findJsonProblem(`{"a":${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}}`)).toBeNull();
  });

  it('still finds a duplicate key after a deep value', () => {
    expect(findJsonProblem(`{"x":${'['.repeat(10)}${']'.repeat(10)},"k":1,"k":2}`)).toEqual({ kind: 'duplicate', key: 'k', pointer: '/k' });
  });
});

describe('fastJsonBody: the direct route reads plain JSON itself', () => {
  // The direct route's answers are compared with the router's in tests/validation/direct-route.test.ts;
  // they would match even if every body went to express.json. This checks the reader does its part.
  async function serve(handler: http.RequestListener) {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(resolve)) };
  }

  function post(port: number, pieces: Buffer[], headers: http.OutgoingHttpHeaders): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ port, host: '127.0.0.1', method: 'POST', headers }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      for (const piece of pieces) req.write(piece);
      req.end();
    });
  }

  it('parses a body with Content-Length sent in pieces (a UTF-8 character split between them) without express.json; a chunked body goes to express.json', async () => {
    const fallback = jest.fn(async (req: Request) => { req.body = { via: 'express' }; });
    const read = fastJsonBody('1kb', fallback as never);
    const server = await serve((req, res) => {
      read(req as Request, res as Response).then(
        () => res.end(JSON.stringify((req as Request).body)),
        (error: { status?: number }) => { res.statusCode = error.status ?? 500; res.end(); },
      );
    });
    try {
      const bytes = Buffer.from(JSON.stringify({ name: 'Renée Van der Berg' }), 'utf8');
      const split = bytes.indexOf(0xc3) + 1; // inside 'é'
      const pieces = [bytes.subarray(0, split), bytes.subarray(split)];
      const known = await post(server.port, pieces, { 'Content-Type': 'application/json', 'Content-Length': bytes.length });
      expect(known).toEqual({ status: 200, body: JSON.stringify({ name: 'Renée Van der Berg' }) });
      expect(fallback).not.toHaveBeenCalled();

      const chunked = await post(server.port, pieces, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      expect(chunked).toEqual({ status: 200, body: JSON.stringify({ via: 'express' }) });
      expect(fallback).toHaveBeenCalledTimes(1);
    } finally {
      await server.close();
    }
  });
});
