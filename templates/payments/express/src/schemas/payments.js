'use strict';
/**
 * Payment and refund shapes: the card comes in, only its brand and last four go out.
 * @module schemas/payments
 */
const { z } = require('zod');

const { MAX_DIGITS, MIN_DIGITS, luhnValid, normalizeNumber } = require('../core/cards');
const { currency, positiveAmount } = require('../core/money');
const { MAX_ID, id, pageQuery, queryInt, text } = require('./common');

const PAYMENT_STATUSES = /** @type {const} */ ([
  'pending',
  'succeeded',
  'failed',
  'partially_refunded',
  'refunded',
]);

/** The card number as digits: 12..19 of them (spaces and dashes ignored), Luhn-valid. */
const cardNumber = z
  .string()
  .min(1)
  .max(40)
  .transform((value, context) => {
    const digits = normalizeNumber(value);
    if (!/^[0-9]+$/.test(digits) || digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) {
      context.addIssue({
        code: 'custom',
        message: `must be ${MIN_DIGITS} to ${MAX_DIGITS} digits`,
      });
      return z.NEVER;
    }
    if (!luhnValid(digits)) {
      context.addIssue({
        code: 'custom',
        message: 'is not a valid card number (Luhn check failed)',
      });
      return z.NEVER;
    }
    return digits;
  });

/** The card to charge. The number is checked and charged, never kept. */
const cardIn = z
  .strictObject({
    number: cardNumber,
    exp_month: z.number().int().min(1).max(12).nullish(),
    exp_year: z.number().int().min(2000).max(2100).nullish(),
    cvc: z
      .string()
      .regex(/^[0-9]{3,4}$/, 'must be 3 or 4 digits')
      .nullish(),
  })
  .superRefine((card, context) => {
    const month = card.exp_month ?? null;
    const year = card.exp_year ?? null;
    if ((month === null) !== (year === null)) {
      context.addIssue({
        code: 'custom',
        message: 'give exp_month and exp_year together, or neither',
      });
      return;
    }
    if (month !== null && year !== null) {
      const today = new Date();
      const current = today.getUTCFullYear() * 12 + today.getUTCMonth() + 1;
      if (year * 12 + month < current) {
        context.addIssue({ code: 'custom', message: 'the card has expired' });
      }
    }
  });

/** A charge: an amount in minor units, its currency, and the card. */
const paymentCreate = z.strictObject({
  amount: positiveAmount,
  currency,
  description: text({ max: 500 }).nullish(),
  customer_id: id.nullish(),
  card: cardIn,
});

/** What is kept of a card. */
const cardPublic = z.object({
  brand: z.string(),
  last4: z.string(),
  exp_month: z.number().int().nullable(),
  exp_year: z.number().int().nullable(),
});

/** A payment as the API shows it. */
const paymentPublic = z.object({
  id: z.number().int(),
  owner_id: z.number().int(),
  customer_id: z.number().int().nullable(),
  amount: z.number().int(),
  amount_captured: z.number().int(),
  amount_refunded: z.number().int(),
  currency: z.string(),
  description: z.string().nullable(),
  status: z.enum(PAYMENT_STATUSES),
  card: cardPublic,
  failure_code: z.string().nullable(),
  failure_message: z.string().nullable(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

/** An id filter in a query string. */
const queryId = queryInt(z.number().int().min(1).max(MAX_ID));

/** Filters of GET /payments (newest first). */
const paymentQuery = pageQuery.extend({
  status: z.enum(PAYMENT_STATUSES).optional(),
  currency: currency.optional(),
  customer_id: queryId.optional(),
  // The next_cursor of a page: the page after it (instead of an offset).
  cursor: z.string().min(1).max(1024).optional(),
});

/** A refund; without an amount, everything that remains is refunded. */
const refundCreate = z.strictObject({
  amount: positiveAmount.nullish(),
  reason: text({ max: 200 }).nullish(),
});

/** A refund as the API shows it. */
const refundPublic = z.object({
  id: z.number().int(),
  owner_id: z.number().int(),
  payment_id: z.number().int(),
  amount: z.number().int(),
  currency: z.string(),
  reason: z.string().nullable(),
  created_at: z.iso.datetime(),
});

module.exports = {
  PAYMENT_STATUSES,
  cardIn,
  paymentCreate,
  paymentPublic,
  paymentQuery,
  queryId,
  refundCreate,
  refundPublic,
};
