'use strict';
const assert = require('node:assert/strict');
const { describe, it } = require('node:test');

const { exactJson } = require('../src/core/exact-json');

describe('exact JSON', () => {
  it('writes BigInt as plain integers, beyond 2^53 too', () => {
    const big = 2n ** 63n - 1n;
    assert.equal(
      exactJson({ a: big, b: [-(2n ** 53n) - 1n, 0n] }),
      `{"a":${big},"b":[-9007199254740993,0]}`,
    );
  });

  it('writes everything else as JSON.stringify does', () => {
    const value = {
      text: 'a "quoted" \u00e9\n',
      n: 1.5,
      t: true,
      none: null,
      list: [],
      no: undefined,
    };
    assert.equal(exactJson(value), JSON.stringify(value));
    assert.deepEqual(JSON.parse(exactJson({ nested: { k: [1, 'x', { y: null }] } })), {
      nested: { k: [1, 'x', { y: null }] },
    });
  });
});
