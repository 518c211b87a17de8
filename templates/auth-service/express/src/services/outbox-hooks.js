'use strict';
/**
 * What follows the writing of an outbox message, in its transaction: nothing here, the
 * message waits in the outbox (GET /admin/outbox). The feature "queue" replaces this
 * module (auth-service/express+queue): a job that mails it, once the transaction commits.
 * @module services/outbox-hooks
 */

/**
 * @param {import('knex').Knex | import('knex').Knex.Transaction} _db
 * @param {number} _messageId
 */
async function messageWritten(_db, _messageId) {}

module.exports = { messageWritten };
