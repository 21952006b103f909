import { findJsonProblem, MAX_JSON_DEPTH } from '../../src/http/json-body';

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
