'use strict';
/**
 * What follows the writing of an event's deliveries, in its transaction: nothing here,
 * the worker (src/worker.js) finds them in the outbox. The feature "queue" replaces this
 * module (payments/express+queue): one job per delivery, once the transaction commits.
 * @module services/delivery-hooks
 */

/**
 * @param {import('knex').Knex.Transaction} _trx
 * @param {number} _eventId
 */
async function deliveriesAdded(_trx, _eventId) {}

module.exports = { deliveriesAdded };
