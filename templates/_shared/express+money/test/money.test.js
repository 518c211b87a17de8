'use strict';
const assert = require('node:assert/strict');
const { describe, it } = require('node:test');

const {
  MAX_AMOUNT,
  amount,
  currency,
  floatLiterals,
  formatAmount,
  positiveAmount,
} = require('../src/core/money');

describe('money', () => {
  it('takes amounts as integers in minor units', () => {
    assert.ok(amount.safeParse(0).success);
    assert.ok(amount.safeParse(MAX_AMOUNT).success);
    for (const value of [-1, 10.5, '10', MAX_AMOUNT + 1, null]) {
      assert.ok(!amount.safeParse(value).success, String(value));
    }
    assert.ok(!positiveAmount.safeParse(0).success);
  });

  it('takes ISO 4217 currency codes in upper case', () => {
    assert.ok(currency.safeParse('EUR').success);
    for (const code of ['eur', 'ABC', 'EURO', '', 'toString']) {
      assert.ok(!currency.safeParse(code).success, code);
    }
  });

  it('finds amounts the raw JSON writes as floats', () => {
    assert.deepEqual(floatLiterals('{"amount": 10.0}', ['amount']), ['amount']);
    assert.deepEqual(floatLiterals('{"amount": 1e3}', ['amount']), ['amount']);
    assert.deepEqual(floatLiterals('{"amount": 10, "x": "1.5"}', ['amount', 'x']), []);
    assert.deepEqual(floatLiterals('{"a": {"amount": 2.50}}', ['a.amount', 'amount']), [
      'a.amount',
    ]);
    assert.deepEqual(floatLiterals('{"note": "\\"amount\\": 1.0", "amount": 1}', ['amount']), []);
    assert.deepEqual(floatLiterals(undefined, ['amount']), []);
  });

  it('formats amounts with the exponent of the currency', () => {
    assert.equal(formatAmount(1234, 'USD'), '12.34 USD');
    assert.equal(formatAmount(-5, 'EUR'), '-0.05 EUR');
    assert.equal(formatAmount(1234, 'JPY'), '1234 JPY');
    assert.equal(formatAmount(1234, 'KWD'), '1.234 KWD');
  });
});
