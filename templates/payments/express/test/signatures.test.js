'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describe, it } = require('node:test');

const { computeSignature, sign, verifySignature } = require('../src/core/signatures');

const SECRET = 'whsec_test';
const BODY = Buffer.from('{"id":1,"type":"payment.succeeded"}');

describe('webhook signatures', () => {
  it('are the hex HMAC-SHA256 of "<t>." and the body', () => {
    const expected = crypto
      .createHmac('sha256', SECRET)
      .update(Buffer.concat([Buffer.from('1700000000.'), BODY]))
      .digest('hex');
    assert.equal(computeSignature(SECRET, 1700000000, BODY), expected);
    assert.equal(sign(SECRET, BODY, 1700000000), `t=1700000000,v1=${expected}`);
  });

  it('verify a fresh signature, on bytes or text', () => {
    const header = sign(SECRET, BODY);
    assert.ok(verifySignature(SECRET, header, BODY));
    assert.ok(verifySignature(SECRET, header, BODY.toString()));
  });

  it('refuse tampering, another secret and old timestamps', () => {
    const header = sign(SECRET, BODY, 1700000000);
    const now = 1700000000 + 10;
    assert.ok(verifySignature(SECRET, header, BODY, 300, now));
    assert.ok(!verifySignature(SECRET, header, Buffer.concat([BODY, Buffer.from('x')]), 300, now));
    assert.ok(!verifySignature('whsec_other', header, BODY, 300, now));
    assert.ok(!verifySignature(SECRET, header, BODY, 300, 1700000000 + 301));
    assert.ok(verifySignature(SECRET, header, BODY, 0, 1700000000 + 10 ** 6));
  });

  it('refuse malformed headers, and accept any matching v1 entry', () => {
    for (const header of ['', 't=abc,v1=00', 'v1=00', 't=1700000000', 'garbage']) {
      assert.ok(!verifySignature(SECRET, header, BODY, 0), header);
    }
    const good = computeSignature(SECRET, 1700000000, BODY);
    assert.ok(verifySignature(SECRET, `t=1700000000,v1=${'0'.repeat(64)},v1=${good}`, BODY, 0));
  });
});
