'use strict';
/**
 * Payment rules: idempotent charges, the status machine, refunds that never exceed the
 * capture.
 *
 * Charging: the (user, Idempotency-Key) row is inserted first, in the transaction that
 * creates and charges the payment and stores the response. A concurrent request with
 * the same key blocks on that row (PostgreSQL, MySQL) or on the write lock (SQLite)
 * until the first commits, then fails on the unique constraint and replays the stored
 * response: one key never makes two payments.
 *
 * Refunding: the payment is changed with a conditional update that only matches the
 * status and amount refunded that were read; it locks the row (PostgreSQL, MySQL) or
 * the database (SQLite) until the refund, its ledger entry and event are written. A
 * refund that lost a race reads the payment again and is checked again.
 * @module services/payments
 */
const crypto = require('node:crypto');

const { AppError, Conflict, NotFound, invalidField } = require('../core/errors');
const { cardBrand, last4 } = require('../core/cards');
const { insert, isUniqueViolation, isoTimestamp, now, transaction } = require('../db');
const { ownedCustomer } = require('./customers');
const { recordEvent } = require('./events');
const { paginateKeyset, parseRowId, parseTimestamp } = require('./keyset');
const { paginate } = require('./pagination');
const processor = require('./processor');
const { isAdmin } = require('./users');

const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const MAX_KEY_LENGTH = 255;

/** The list's one sort, newest first. */
const SORT = '-created_at';
/**
 * Its keys, (created_at, id) descending, which make the ORDER BY and the cursor; each
 * filter has an index in this order (migration 0004_payment_list_indexes).
 * @type {import('./keyset').Key[]}
 */
const SORT_KEYS = [
  { sql: 'created_at', value: (row) => isoTimestamp(row.created_at), parse: parseTimestamp },
  { sql: 'id', value: (row) => Number(row.id), parse: parseRowId },
];
// A retry that lost a race re-reads; these bound how often before it gives up (409).
const CHARGE_TRIES = 3;
const REFUND_TRIES = 10;

/** The statuses of a payment whose amount was captured. */
const CAPTURED = new Set(['succeeded', 'partially_refunded', 'refunded']);
/** The statuses a refund may start from. */
const REFUNDABLE = new Set(['succeeded', 'partially_refunded']);

/** POST /payments came without a usable Idempotency-Key header. */
class IdempotencyKeyRequired extends AppError {}
IdempotencyKeyRequired.status = 400;
IdempotencyKeyRequired.defaultDetail =
  `The ${IDEMPOTENCY_HEADER} header is required: ` +
  `1 to ${MAX_KEY_LENGTH} printable ASCII characters`;

/**
 * @typedef {object} PaymentIn
 * @property {number} amount
 * @property {string} currency
 * @property {string | null} [description]
 * @property {number | null} [customer_id]
 * @property {{number: string, exp_month?: number | null, exp_year?: number | null,
 *   cvc?: string | null}} card
 */

/**
 * @typedef {object} ChargeResponse
 * @property {number} status
 * @property {Record<string, unknown>} body
 * @property {boolean} replayed
 */

/**
 * A payment as the API shows it.
 * @param {any} row
 */
function toPublic(row) {
  const amount = Number(row.amount);
  return {
    id: Number(row.id),
    owner_id: Number(row.owner_id),
    customer_id: row.customer_id === null ? null : Number(row.customer_id),
    amount,
    amount_captured: CAPTURED.has(row.status) ? amount : 0,
    amount_refunded: Number(row.amount_refunded),
    currency: row.currency,
    description: row.description ?? null,
    status: row.status,
    card: {
      brand: row.card_brand,
      last4: row.card_last4,
      exp_month: row.card_exp_month === null ? null : Number(row.card_exp_month),
      exp_year: row.card_exp_year === null ? null : Number(row.card_exp_year),
    },
    failure_code: row.failure_code ?? null,
    failure_message: row.failure_message ?? null,
    created_at: isoTimestamp(row.created_at),
    updated_at: isoTimestamp(row.updated_at),
  };
}

/**
 * A refund as the API shows it.
 * @param {any} row
 */
function refundToPublic(row) {
  return {
    id: Number(row.id),
    owner_id: Number(row.owner_id),
    payment_id: Number(row.payment_id),
    amount: Number(row.amount),
    currency: row.currency,
    reason: row.reason ?? null,
    created_at: isoTimestamp(row.created_at),
  };
}

/**
 * The key, if it is 1..255 printable ASCII characters; else IdempotencyKeyRequired.
 * @param {string | undefined} key
 */
function checkedKey(key) {
  if (typeof key !== 'string' || key.length < 1 || key.length > MAX_KEY_LENGTH) {
    throw new IdempotencyKeyRequired();
  }
  if (!/^[\x20-\x7e]+$/.test(key) || !key.trim()) throw new IdempotencyKeyRequired();
  return key;
}

/**
 * An HMAC of the validated request, keyed with the secret key. The request holds the
 * card number: a plain hash of it could be reversed by trying every number with the
 * same last four digits.
 * @param {PaymentIn} data
 * @param {import('../core/config').Settings} settings
 */
function requestHash(data, settings) {
  const canonical = JSON.stringify({
    amount: data.amount,
    card: {
      cvc: data.card.cvc ?? null,
      exp_month: data.card.exp_month ?? null,
      exp_year: data.card.exp_year ?? null,
      number: data.card.number,
    },
    currency: data.currency,
    customer_id: data.customer_id ?? null,
    description: data.description ?? null,
  });
  return crypto.createHmac('sha256', settings.secretKey).update(canonical).digest('hex');
}

/**
 * The stored first response, if the request is the same; else a Conflict.
 * @param {any} record
 * @param {string} digest
 * @returns {ChargeResponse}
 */
function replay(record, digest) {
  const stored = Buffer.from(String(record.request_hash));
  const given = Buffer.from(digest);
  if (stored.length !== given.length || !crypto.timingSafeEqual(stored, given)) {
    throw new Conflict(`This ${IDEMPOTENCY_HEADER} was already used with a different request`);
  }
  if (record.status_code === null || record.response_body === null) {
    // Not reachable while the key and the response are committed together.
    throw new Conflict(`A request with this ${IDEMPOTENCY_HEADER} is still in progress`);
  }
  return {
    status: Number(record.status_code),
    body: JSON.parse(record.response_body),
    replayed: true,
  };
}

/**
 * Charge a card once per idempotency key, and return the response to send.
 *
 * A failed charge (a declined card) is a payment too: 201, status failed. Retries with
 * the same key and body replay the first response; with another body they conflict.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {PaymentIn} data
 * @param {string | undefined} idempotencyKey
 * @param {import('../core/config').Settings} settings
 * @returns {Promise<ChargeResponse>}
 */
async function createPayment(db, user, data, idempotencyKey, settings) {
  const key = checkedKey(idempotencyKey);
  const digest = requestHash(data, settings);
  for (let attempt = 0; attempt < CHARGE_TRIES; attempt += 1) {
    const record = await db('idempotency_keys').where({ owner_id: user.id, key }).first();
    if (record) return replay(record, digest);
    const customerId = data.customer_id ?? null;
    if (customerId !== null && !(await ownedCustomer(db, user, customerId))) {
      throw invalidField('customer_id', 'No such customer');
    }
    try {
      return await charge(db, user, data, key, digest);
    } catch (error) {
      // Another request with this key committed first: replay its response.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Conflict(`A request with this ${IDEMPOTENCY_HEADER} is still in progress; retry`);
}

/**
 * Claim the key, create the payment, charge it, write the ledger, the event and the
 * response: all in one transaction.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {PaymentIn} data
 * @param {string} key
 * @param {string} digest
 * @returns {Promise<ChargeResponse>}
 */
function charge(db, user, data, key, digest) {
  return transaction(db, async (trx) => {
    const time = now();
    // First: a concurrent duplicate waits here, and fails once this one commits.
    const keyId = await insert(trx, 'idempotency_keys', {
      owner_id: user.id,
      key,
      request_hash: digest,
      created_at: time,
    });
    const paymentId = await insert(trx, 'payments', {
      owner_id: user.id,
      customer_id: data.customer_id ?? null,
      amount: data.amount,
      amount_refunded: 0,
      currency: data.currency,
      description: data.description ?? null,
      status: 'pending',
      card_brand: cardBrand(data.card.number),
      card_last4: last4(data.card.number),
      card_exp_month: data.card.exp_month ?? null,
      card_exp_year: data.card.exp_year ?? null,
      created_at: time,
      updated_at: time,
    });
    const result = processor.charge({
      paymentId,
      number: data.card.number,
      amount: data.amount,
      currency: data.currency,
    });
    await trx('payments')
      .where({ id: paymentId })
      .update({
        status: result.succeeded ? 'succeeded' : 'failed',
        failure_code: result.failureCode,
        failure_message: result.failureMessage,
        updated_at: now(),
      });
    if (result.succeeded) {
      await insert(trx, 'ledger_entries', {
        owner_id: user.id,
        payment_id: paymentId,
        refund_id: null,
        type: 'charge',
        amount: data.amount,
        currency: data.currency,
        created_at: now(),
      });
    }
    const body = toPublic(await trx('payments').where({ id: paymentId }).first());
    await recordEvent(trx, {
      ownerId: user.id,
      type: result.succeeded ? 'payment.succeeded' : 'payment.failed',
      data: body,
      paymentId,
    });
    await trx('idempotency_keys')
      .where({ id: keyId })
      .update({ status_code: 201, response_body: JSON.stringify(body) });
    return { status: 201, body, replayed: false };
  });
}

/**
 * The payments `user` may see.
 * @param {import('knex').Knex} db
 * @param {any} user
 */
function visible(db, user) {
  const query = db('payments');
  if (!isAdmin(user)) query.where({ owner_id: user.id });
  return query;
}

/**
 * One page of the payments `user` may see, newest first, by offset or after a cursor;
 * the total is counted up to 10,000.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {{limit: number, offset: number, status?: string, currency?: string,
 *   customer_id?: number, cursor?: string}} query
 * @param {boolean} [offsetGiven] whether the request named an offset
 */
function listPayments(db, user, query, offsetGiven = false) {
  const payments = visible(db, user);
  if (query.status !== undefined) payments.where({ status: query.status });
  if (query.currency !== undefined) payments.where({ currency: query.currency });
  if (query.customer_id !== undefined) payments.where({ customer_id: query.customer_id });
  const page = { ...query, sort: SORT };
  return paginateKeyset(db, payments, page, offsetGiven, SORT_KEYS, toPublic);
}

/**
 * A payment `user` may see; anyone else's is NotFound, not Forbidden.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {number} paymentId
 */
async function getPayment(db, user, paymentId) {
  const payment = await visible(db, user).where({ id: paymentId }).first();
  if (!payment) throw new NotFound('Payment not found');
  return payment;
}

/**
 * Refund part or all of what remains of a captured payment (an admin may refund any).
 *
 * Refunds of a payment never add up to more than its amount, also when requests race:
 * the update matches only the amount refunded that was read.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {number} paymentId
 * @param {{amount?: number | null, reason?: string | null}} data
 */
async function refundPayment(db, user, paymentId, data) {
  for (let attempt = 0; attempt < REFUND_TRIES; attempt += 1) {
    const payment = await getPayment(db, user, paymentId);
    if (!REFUNDABLE.has(payment.status)) {
      throw new Conflict(`A ${payment.status} payment cannot be refunded`);
    }
    const total = Number(payment.amount);
    const before = Number(payment.amount_refunded);
    const remaining = total - before;
    const amount = data.amount ?? remaining;
    if (amount > remaining) {
      throw new Conflict(`The refund exceeds the ${remaining} left to refund`);
    }
    const refunded = before + amount;
    const refund = await transaction(db, async (trx) => {
      // First statement: it takes the row lock (or SQLite's write lock) and only
      // matches if no other refund changed the payment since it was read.
      const changed = await trx('payments')
        .where({ id: payment.id, status: payment.status, amount_refunded: before })
        .update({
          amount_refunded: refunded,
          status: refunded === total ? 'refunded' : 'partially_refunded',
          updated_at: now(),
        });
      if (changed !== 1) return null;
      return recordRefund(trx, payment, amount, data.reason ?? null);
    });
    if (refund) return refund;
  }
  throw new Conflict('The payment changed while refunding; retry');
}

/**
 * Write the refund, its ledger entry and its event (in the refund's transaction).
 * @param {import('knex').Knex.Transaction} trx
 * @param {any} payment the payment row as read before the update
 * @param {number} amount
 * @param {string | null} reason
 */
async function recordRefund(trx, payment, amount, reason) {
  const time = now();
  const refundId = await insert(trx, 'refunds', {
    owner_id: payment.owner_id,
    payment_id: payment.id,
    amount,
    currency: payment.currency,
    reason,
    created_at: time,
  });
  await insert(trx, 'ledger_entries', {
    owner_id: payment.owner_id,
    payment_id: payment.id,
    refund_id: refundId,
    type: 'refund',
    amount: -amount,
    currency: payment.currency,
    created_at: time,
  });
  const refund = refundToPublic(await trx('refunds').where({ id: refundId }).first());
  const updated = toPublic(await trx('payments').where({ id: payment.id }).first());
  await recordEvent(trx, {
    ownerId: Number(payment.owner_id),
    type: 'refund.created',
    data: { ...refund, payment: updated },
    paymentId: Number(payment.id),
  });
  return refund;
}

/**
 * One page of the refunds of a payment `user` may see, newest first.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {number} paymentId
 * @param {{limit: number, offset: number}} query
 */
async function listRefunds(db, user, paymentId, query) {
  const payment = await getPayment(db, user, paymentId);
  const refunds = db('refunds').where({ payment_id: payment.id });
  return paginate(db, refunds, query, (q) => q.orderBy('id', 'desc'), refundToPublic);
}

module.exports = {
  IDEMPOTENCY_HEADER,
  MAX_KEY_LENGTH,
  CAPTURED,
  REFUNDABLE,
  IdempotencyKeyRequired,
  toPublic,
  refundToPublic,
  requestHash,
  createPayment,
  listPayments,
  getPayment,
  refundPayment,
  listRefunds,
};
