'use strict';
/**
 * Money: integer amounts in minor units (cents) with an ISO 4217 currency, never floats.
 *
 * A price of 12.34 USD is {"amount": 1234, "currency": "USD"}. Floats (even 10.0 as
 * the client wrote it) and strings are refused at the edge, so rounding never creeps
 * into stored amounts; arithmetic stays in integers.
 * @module core/money
 */
const { z } = require('zod');

// Every integer of a body is checked against float literals (http/registry.js).
const { floatLiterals } = require('../http/validation');

/** ISO 4217 codes in common use and their minor-unit exponents (JPY none, KWD three). */
const CURRENCY_EXPONENTS = Object.freeze({
  AUD: 2, BHD: 3, BRL: 2, CAD: 2, CHF: 2, CLP: 0, CNY: 2, CZK: 2,
  DKK: 2, EUR: 2, GBP: 2, HKD: 2, HUF: 2, IDR: 2, ILS: 2, INR: 2,
  ISK: 0, JOD: 3, JPY: 0, KRW: 0, KWD: 3, MXN: 2, MYR: 2, NOK: 2,
  NZD: 2, OMR: 3, PHP: 2, PLN: 2, RON: 2, SAR: 2, SEK: 2, SGD: 2,
  THB: 2, TND: 3, TRY: 2, TWD: 2, UAH: 2, USD: 2, VND: 0, ZAR: 2,
}); // prettier-ignore

/**
 * The largest amount accepted, in minor units: far above any real payment, and below
 * 2**53 so that every client's JSON numbers stay exact.
 */
const MAX_AMOUNT = 10 ** 15;

const CURRENCY_MESSAGE = 'must be an ISO 4217 currency code such as USD or EUR';

/** @param {string} code */
function isCurrency(code) {
  return Object.hasOwn(CURRENCY_EXPONENTS, code);
}

/** An ISO 4217 code of CURRENCY_EXPONENTS, in upper case (the document lists them). */
const currency = z.enum(Object.keys(CURRENCY_EXPONENTS).sort(), { error: CURRENCY_MESSAGE });

/**
 * An amount in minor units. JSON.parse reads 10.0 as 10: the route registry checks
 * the request's raw text too, so that an amount written as a float is refused.
 */
const amount = z.number().int().min(0).max(MAX_AMOUNT);
/** A strictly positive amount in minor units. */
const positiveAmount = z.number().int().min(1).max(MAX_AMOUNT);

/** An amount with its currency. */
const money = z.strictObject({ amount, currency });

/**
 * Show an amount for people: formatAmount(1234, 'USD') === '12.34 USD'.
 * @param {number} value minor units
 * @param {string} code ISO 4217
 */
function formatAmount(value, code) {
  const exponent = CURRENCY_EXPONENTS[/** @type {keyof typeof CURRENCY_EXPONENTS} */ (code)];
  if (exponent === undefined) throw new Error(`unknown currency ${code}`);
  if (exponent === 0) return `${value} ${code}`;
  const scale = 10 ** exponent;
  const units = Math.floor(Math.abs(value) / scale);
  const minor = String(Math.abs(value) % scale).padStart(exponent, '0');
  return `${value < 0 ? '-' : ''}${units}.${minor} ${code}`;
}

module.exports = {
  CURRENCY_EXPONENTS,
  MAX_AMOUNT,
  currency,
  amount,
  positiveAmount,
  money,
  isCurrency,
  floatLiterals,
  formatAmount,
};
