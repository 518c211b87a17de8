'use strict';
const assert = require('node:assert/strict');
const { describe, it } = require('node:test');

const { cardBrand, last4, luhnValid, normalizeNumber } = require('../src/core/cards');
const processor = require('../src/services/processor');
const { CARD_DECLINED, CARD_MASTERCARD, CARD_NO_FUNDS, CARD_OK } = require('./payment-support');

describe('cards', () => {
  it('accepts the test numbers and refuses bad checksums', () => {
    for (const number of [
      CARD_OK,
      CARD_MASTERCARD,
      CARD_DECLINED,
      CARD_NO_FUNDS,
      '378282246310005',
    ]) {
      assert.ok(luhnValid(number), number);
    }
    for (const number of ['4242424242424241', '1234567812345678', '42424242424242a2', '']) {
      assert.ok(!luhnValid(number), number);
    }
  });

  it('knows the brands', () => {
    assert.equal(cardBrand(CARD_OK), 'visa');
    assert.equal(cardBrand(CARD_MASTERCARD), 'mastercard');
    assert.equal(cardBrand('2223003122003222'), 'mastercard');
    assert.equal(cardBrand('378282246310005'), 'amex');
    assert.equal(cardBrand('6011111111111117'), 'discover');
    assert.equal(cardBrand('9999999999999995'), 'unknown');
  });

  it('normalizes numbers and keeps only the last four digits', () => {
    assert.equal(normalizeNumber('4242 4242-4242 4242'), CARD_OK);
    assert.equal(last4(CARD_OK), '4242');
  });

  it('lets the simulated processor follow the documented numbers', () => {
    const charge = (/** @type {string} */ number) =>
      processor.charge({ paymentId: 1, number, amount: 100, currency: 'USD' });
    assert.equal(charge(CARD_OK).succeeded, true);
    assert.equal(charge(CARD_MASTERCARD).succeeded, true);
    assert.equal(charge(CARD_DECLINED).failureCode, 'card_declined');
    assert.equal(charge(CARD_NO_FUNDS).failureCode, 'insufficient_funds');
    assert.equal(charge('378282246310005').succeeded, true);
  });
});
