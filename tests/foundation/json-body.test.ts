import { findDuplicateKey } from '../../src/http/json-body';

describe('findDuplicateKey', () => {
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
    expect(findDuplicateKey(text)).toEqual(expected);
  });
});
