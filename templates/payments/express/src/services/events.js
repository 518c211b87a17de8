'use strict';
/**
 * The outbox: an event and its deliveries, written in the transaction of the change
 * they report. Nothing here commits: the caller's transaction writes the change and
 * its events together, or neither; the worker (node src/worker.js) sends them later.
 * @module services/events
 */
const { insert, isoTimestamp, now } = require('../db');
const { deliveriesAdded } = require('./delivery-hooks');
const { paginate } = require('./pagination');
const { isAdmin } = require('./users');

/**
 * Add an event and one pending delivery per webhook endpoint of `ownerId`.
 * @param {import('knex').Knex.Transaction} trx
 * @param {{ownerId: number, type: string, data: Record<string, unknown>,
 *   paymentId: number | null}} event
 * @returns {Promise<number>} the event's id
 */
async function recordEvent(trx, { ownerId, type, data, paymentId }) {
  const time = now();
  const id = await insert(trx, 'events', {
    owner_id: ownerId,
    type,
    payment_id: paymentId,
    body: '',
    created_at: time,
  });
  const body = JSON.stringify({ id, type, created_at: isoTimestamp(time), data });
  await trx('events').where({ id }).update({ body });
  const endpoints = await trx('webhook_endpoints').where({ owner_id: ownerId }).select('id');
  if (endpoints.length) {
    await trx('deliveries').insert(
      endpoints.map((endpoint) => ({
        event_id: id,
        endpoint_id: endpoint.id,
        status: 'pending',
        attempt_count: 0,
        next_attempt_at: time,
        created_at: time,
        updated_at: time,
      })),
    );
    await deliveriesAdded(trx, id);
  }
  return id;
}

/**
 * An event as the API shows it.
 * @param {any} row
 */
function toPublic(row) {
  return {
    id: Number(row.id),
    owner_id: Number(row.owner_id),
    type: row.type,
    payment_id: row.payment_id === null ? null : Number(row.payment_id),
    data: JSON.parse(row.body).data,
    created_at: isoTimestamp(row.created_at),
  };
}

/**
 * One page of the events `user` may see, newest first.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {{limit: number, offset: number, type?: string, payment_id?: number}} query
 */
function listEvents(db, user, query) {
  const events = db('events');
  if (!isAdmin(user)) events.where({ owner_id: user.id });
  if (query.type !== undefined) events.where({ type: query.type });
  if (query.payment_id !== undefined) events.where({ payment_id: query.payment_id });
  return paginate(db, events, query, (q) => q.orderBy('id', 'desc'), toPublic);
}

module.exports = { recordEvent, listEvents, toPublic };
