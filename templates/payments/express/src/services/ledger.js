'use strict';
/**
 * The ledger and the balance it adds up to.
 * @module services/ledger
 */
const { isoTimestamp } = require('../db');
const { paginate } = require('./pagination');
const { isAdmin } = require('./users');

/**
 * A ledger entry as the API shows it.
 * @param {any} row
 */
function toPublic(row) {
  return {
    id: Number(row.id),
    owner_id: Number(row.owner_id),
    type: row.type,
    amount: Number(row.amount),
    currency: row.currency,
    payment_id: Number(row.payment_id),
    refund_id: row.refund_id === null ? null : Number(row.refund_id),
    created_at: isoTimestamp(row.created_at),
  };
}

/**
 * The entries `user` may see.
 * @param {import('knex').Knex} db
 * @param {any} user
 */
function visible(db, user) {
  const query = db('ledger_entries');
  if (!isAdmin(user)) query.where({ owner_id: user.id });
  return query;
}

/**
 * One page of the ledger entries `user` may see, newest first.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {{limit: number, offset: number, currency?: string, payment_id?: number}} query
 */
function listEntries(db, user, query) {
  const entries = visible(db, user);
  if (query.currency !== undefined) entries.where({ currency: query.currency });
  if (query.payment_id !== undefined) entries.where({ payment_id: query.payment_id });
  return paginate(db, entries, query, (q) => q.orderBy('id', 'desc'), toPublic);
}

/**
 * Captured, refunded and net amounts per currency, summed from the ledger, as BigInt:
 * a sum may pass 2^53, past which a number is rounded (send it with core/exact-json).
 * @param {import('knex').Knex} db
 * @param {any} user
 * @returns {Promise<{balances: {currency: string, captured: bigint, refunded: bigint,
 *   net: bigint}[]}>}
 */
async function balance(db, user) {
  const rows = await visible(db, user)
    .select('currency')
    .select(
      db.raw("SUM(CASE WHEN type = 'charge' THEN amount ELSE 0 END) AS captured"),
      db.raw("SUM(CASE WHEN type = 'refund' THEN -amount ELSE 0 END) AS refunded"),
    )
    .groupBy('currency')
    .orderBy('currency')
    // SQLite's driver gives a BigInt only when asked (the others ignore the option).
    .options({ safeIntegers: true });
  // SUM of a BIGINT is a DECIMAL on PostgreSQL and MySQL, which their drivers give as
  // text: BigInt takes that, or SQLite's BigInt, exactly.
  return {
    balances: rows.map((row) => {
      const captured = BigInt(row.captured ?? 0);
      const refunded = BigInt(row.refunded ?? 0);
      return { currency: row.currency, captured, refunded, net: captured - refunded };
    }),
  };
}

module.exports = { toPublic, listEntries, balance };
