'use strict';
/**
 * Card numbers: normalizing, the Luhn check, the brand and the last four digits.
 *
 * The full number lives only in the request that charges it: it is never stored,
 * logged or returned. What is kept is the brand and the last four digits.
 * @module core/cards
 */

const MIN_DIGITS = 12;
const MAX_DIGITS = 19;

/**
 * Leading digits (IIN ranges, inclusive) of the common brands, checked in this order.
 * @type {[string, [number, number][]][]}
 */
const BRANDS = [
  ['amex', [[34, 34], [37, 37]]],
  ['mastercard', [[51, 55], [2221, 2720]]],
  ['discover', [[6011, 6011], [644, 649], [65, 65]]],
  ['visa', [[4, 4]]],
]; // prettier-ignore

/**
 * The digits of a card number written with spaces or dashes.
 * @param {string} number
 */
function normalizeNumber(number) {
  return number.replace(/[ -]/g, '');
}

/**
 * Whether `digits` pass the Luhn checksum (ISO/IEC 7812).
 * @param {string} digits
 */
function luhnValid(digits) {
  if (!/^[0-9]+$/.test(digits)) return false;
  let total = 0;
  for (let position = 0; position < digits.length; position += 1) {
    let value = Number(digits[digits.length - 1 - position]);
    if (position % 2 === 1) value = value > 4 ? value * 2 - 9 : value * 2;
    total += value;
  }
  return total % 10 === 0;
}

/**
 * The brand of a card number (visa, mastercard...) or 'unknown'.
 * @param {string} digits
 */
function cardBrand(digits) {
  for (const [brand, ranges] of BRANDS) {
    for (const [low, high] of ranges) {
      const prefix = Number(digits.slice(0, String(low).length));
      if (prefix >= low && prefix <= high) return brand;
    }
  }
  return 'unknown';
}

/**
 * The last four digits, the only part of a number that may be kept.
 * @param {string} digits
 */
function last4(digits) {
  return digits.slice(-4);
}

module.exports = { MIN_DIGITS, MAX_DIGITS, normalizeNumber, luhnValid, cardBrand, last4 };
