'use strict';
/**
 * Webhook endpoints of a merchant, and the deliveries made to them.
 * @module services/webhooks
 */
const crypto = require('node:crypto');

const { NotFound } = require('../core/errors');
const { insert, isoTimestamp, now } = require('../db');
const { paginate } = require('./pagination');
const { isAdmin } = require('./users');

const SECRET_PREFIX = 'whsec_';

/** A fresh signing secret (256 bits). */
function newSecret() {
  return SECRET_PREFIX + crypto.randomBytes(32).toString('base64url');
}

/**
 * A webhook endpoint as the API shows it (never the secret).
 * @param {any} row
 */
function toPublic(row) {
  return {
    id: Number(row.id),
    owner_id: Number(row.owner_id),
    url: row.url,
    description: row.description ?? null,
    created_at: isoTimestamp(row.created_at),
  };
}

/**
 * The endpoints `user` may see.
 * @param {import('knex').Knex} db
 * @param {any} user
 */
function visible(db, user) {
  const query = db('webhook_endpoints');
  if (!isAdmin(user)) query.where({ owner_id: user.id });
  return query;
}

/**
 * Register an endpoint of `user`; the answer shows its secret, this once.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {{url: string, description?: string | null}} data
 */
async function createWebhook(db, user, data) {
  const secret = newSecret();
  const id = await insert(db, 'webhook_endpoints', {
    owner_id: user.id,
    url: data.url,
    description: data.description ?? null,
    secret,
    created_at: now(),
  });
  return { ...toPublic(await getWebhook(db, user, id)), secret };
}

/**
 * One page of the endpoints `user` may see, newest first.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {{limit: number, offset: number}} query
 */
function listWebhooks(db, user, query) {
  return paginate(
    db,
    visible(db, user),
    query,
    (q) =>
      q.orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]),
    toPublic,
  );
}

/**
 * An endpoint `user` may see; anyone else's is NotFound.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {number} webhookId
 */
async function getWebhook(db, user, webhookId) {
  const endpoint = await visible(db, user).where({ id: webhookId }).first();
  if (!endpoint) throw new NotFound('Webhook not found');
  return endpoint;
}

/**
 * Delete an endpoint; the database deletes its deliveries and their attempts.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {number} webhookId
 */
async function deleteWebhook(db, user, webhookId) {
  const endpoint = await getWebhook(db, user, webhookId);
  await db('webhook_endpoints').where({ id: endpoint.id }).delete();
}

/**
 * An attempt as the API shows it.
 * @param {any} row
 */
function attemptToPublic(row) {
  return {
    attempted_at: isoTimestamp(row.attempted_at),
    status_code: row.status_code === null ? null : Number(row.status_code),
    error: row.error ?? null,
    duration_ms: Number(row.duration_ms),
  };
}

/**
 * A delivery as the API shows it, with its attempts.
 * @param {any} row a deliveries row with the event's type as event_type
 * @param {any[]} attempts
 */
function deliveryToPublic(row, attempts) {
  return {
    id: Number(row.id),
    webhook_id: Number(row.endpoint_id),
    event_id: Number(row.event_id),
    event_type: row.event_type,
    status: row.status,
    attempt_count: Number(row.attempt_count),
    next_attempt_at: isoTimestamp(row.next_attempt_at),
    last_status_code: row.last_status_code === null ? null : Number(row.last_status_code),
    last_error: row.last_error ?? null,
    delivered_at: isoTimestamp(row.delivered_at),
    created_at: isoTimestamp(row.created_at),
    attempts: attempts.map(attemptToPublic),
  };
}

/**
 * One page of the deliveries to an endpoint, newest first, each with its attempts.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {number} webhookId
 * @param {{limit: number, offset: number, status?: string}} query
 */
async function listDeliveries(db, user, webhookId, query) {
  const endpoint = await getWebhook(db, user, webhookId);
  const deliveries = db('deliveries')
    .join('events', 'events.id', 'deliveries.event_id')
    .where('deliveries.endpoint_id', endpoint.id)
    .select('deliveries.*', 'events.type as event_type');
  if (query.status !== undefined) deliveries.where('deliveries.status', query.status);
  const page = await paginate(
    db,
    deliveries,
    query,
    (q) => q.orderBy('deliveries.id', 'desc'),
    (row) => row,
  );
  const ids = page.items.map((row) => row.id);
  const attempts = ids.length
    ? await db('delivery_attempts').whereIn('delivery_id', ids).orderBy('id')
    : [];
  /** @type {Map<number, any[]>} */
  const byDelivery = new Map();
  for (const attempt of attempts) {
    const key = Number(attempt.delivery_id);
    byDelivery.set(key, [...(byDelivery.get(key) || []), attempt]);
  }
  return {
    ...page,
    items: page.items.map((row) => deliveryToPublic(row, byDelivery.get(Number(row.id)) || [])),
  };
}

module.exports = {
  SECRET_PREFIX,
  newSecret,
  toPublic,
  createWebhook,
  listWebhooks,
  getWebhook,
  deleteWebhook,
  listDeliveries,
};
