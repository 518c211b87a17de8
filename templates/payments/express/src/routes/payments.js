'use strict';
/**
 * Payments (charged once per Idempotency-Key) and their refunds.
 * @module routes/payments
 */
const { z } = require('zod');

const { pageOf, pageQuery } = require('../schemas/common');
const {
  paymentCreate,
  paymentPublic,
  paymentQuery,
  refundCreate,
  refundPublic,
} = require('../schemas/payments');
const payments = require('../services/payments');

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/payments',
      summary: 'List your payments, newest first, filtered by status, currency, customer',
      auth: 'user',
      query: paymentQuery,
      response: pageOf(paymentPublic).extend({ next_cursor: z.string().nullable() }),
    },
    ({ req, db, user, query }) => payments.listPayments(db, user, query, 'offset' in req.query),
  );
  api.route(
    {
      method: 'POST',
      path: '/payments',
      summary: 'Charge a card (needs an Idempotency-Key header)',
      auth: 'user',
      headers: [
        {
          name: payments.IDEMPOTENCY_HEADER,
          required: true,
          description:
            '1 to 255 printable ASCII characters; a retry with the same key and body ' +
            'replays the first response',
          schema: {
            type: 'string',
            minLength: 1,
            maxLength: payments.MAX_KEY_LENGTH,
            pattern: '^[ -~]*[!-~][ -~]*$',
          },
        },
      ],
      body: paymentCreate,
      response: paymentPublic,
      status: 201,
      errors: {
        400: 'The Idempotency-Key header is missing or malformed',
        409: 'The Idempotency-Key was used with another request',
      },
    },
    async ({ req, res, db, settings, user, body }) => {
      const key = req.get(payments.IDEMPOTENCY_HEADER);
      const result = await payments.createPayment(db, user, body, key, settings);
      if (result.replayed) res.set('Idempotent-Replayed', 'true');
      res.status(result.status).json(result.body);
    },
  );
  api.route(
    {
      method: 'GET',
      path: '/payments/{payment_id}',
      summary: 'Read a payment',
      auth: 'user',
      response: paymentPublic,
      errors: { 404: 'Payment not found' },
    },
    async ({ db, user, params }) =>
      payments.toPublic(await payments.getPayment(db, user, params.payment_id)),
  );
  api.route(
    {
      method: 'GET',
      path: '/payments/{payment_id}/refunds',
      summary: 'List the refunds of a payment',
      auth: 'user',
      query: pageQuery,
      response: pageOf(refundPublic),
      errors: { 404: 'Payment not found' },
    },
    ({ db, user, params, query }) => payments.listRefunds(db, user, params.payment_id, query),
  );
  api.route(
    {
      method: 'POST',
      path: '/payments/{payment_id}/refunds',
      summary: 'Refund a payment in part or in full (amount left out: what remains)',
      auth: 'user',
      body: refundCreate,
      response: refundPublic,
      status: 201,
      errors: {
        404: 'Payment not found',
        409: 'The payment cannot be refunded, or not by that much',
      },
    },
    ({ db, user, params, body }) => payments.refundPayment(db, user, params.payment_id, body),
  );
};
