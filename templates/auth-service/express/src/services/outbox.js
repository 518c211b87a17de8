'use strict';
/**
 * The outbox: messages to mail, written with the change they tell about.
 * @module services/outbox
 */
const { insert, isoTimestamp, now } = require('../db');
const { messageWritten } = require('./outbox-hooks');
const { paginate } = require('./pagination');
const { normalizeEmail } = require('./users');

/**
 * A message as admins read it.
 * @param {Record<string, any>} row
 */
function toPublic(row) {
  return {
    id: Number(row.id),
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    created_at: isoTimestamp(row.created_at),
  };
}

/**
 * Add a message; pass the transaction of the change it tells about.
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {{recipient: string, subject: string, body: string}} message
 * @returns {Promise<number>} its id
 */
async function enqueue(db, { recipient, subject, body }) {
  const id = await insert(db, 'outbox', {
    recipient: normalizeEmail(recipient),
    subject,
    body,
    created_at: now(),
  });
  await messageWritten(db, id);
  return id;
}

/**
 * One page of messages, newest first, for one recipient if given.
 * @param {import('knex').Knex} db
 * @param {{limit: number, offset: number, recipient?: string}} query
 */
function listMessages(db, query) {
  const messages = db('outbox');
  if (query.recipient !== undefined) messages.where({ recipient: normalizeEmail(query.recipient) });
  return paginate(db, messages, query, (q) => q.orderBy('id', 'desc'), toPublic);
}

module.exports = { enqueue, listMessages, toPublic };
