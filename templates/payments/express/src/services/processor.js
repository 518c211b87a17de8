'use strict';
/**
 * A simulated card processor: documented test numbers decide the outcome.
 *
 * Swap this module for a real gateway client. A real one gets the payment id as its
 * own idempotency key, so that a retried call never charges twice either.
 *
 * | Number              | Brand      | Outcome                   |
 * |---------------------|------------|---------------------------|
 * | 4242424242424242    | visa       | succeeds                  |
 * | 5555555555554444    | mastercard | succeeds                  |
 * | 4000000000000002    | visa       | fails: card_declined      |
 * | 4000000000009995    | visa       | fails: insufficient_funds |
 * | any other valid one | its brand  | succeeds                  |
 * @module services/processor
 */

const SUCCEEDS = '4242424242424242';
const DECLINED = '4000000000000002';
const INSUFFICIENT_FUNDS = '4000000000009995';

/** @type {Record<string, [string, string]>} */
const FAILURES = {
  [DECLINED]: ['card_declined', 'The card was declined'],
  [INSUFFICIENT_FUNDS]: ['insufficient_funds', 'The card has insufficient funds'],
};

/**
 * @typedef {object} ChargeResult
 * @property {boolean} succeeded
 * @property {string | null} failureCode
 * @property {string | null} failureMessage
 */

/**
 * Charge `amount` (minor units of `currency`) to the card `number`.
 * @param {{paymentId: number, number: string, amount: number, currency: string}} request
 * @returns {ChargeResult}
 */
function charge({ number }) {
  const failure = Object.hasOwn(FAILURES, number) ? FAILURES[number] : undefined;
  if (failure) return { succeeded: false, failureCode: failure[0], failureMessage: failure[1] };
  return { succeeded: true, failureCode: null, failureMessage: null };
}

module.exports = { SUCCEEDS, DECLINED, INSUFFICIENT_FUNDS, charge };
