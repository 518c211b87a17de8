'use strict';
/**
 * What follows the writing of an event's deliveries (feature "queue"): a job per
 * delivery, added to the queue once the transaction commits (core/queue.js'
 * afterCommit); if Redis does not take them, the worker's sweeper will.
 * @module services/delivery-hooks
 */
const { afterCommit } = require('../core/queue');
const { deliveryJob } = require('./delivery-jobs');

/**
 * @param {import('knex').Knex.Transaction} trx
 * @param {number} eventId
 */
async function deliveriesAdded(trx, eventId) {
  const rows = await trx('deliveries').where({ event_id: eventId }).select('id');
  afterCommit(
    trx,
    rows.map((row) => deliveryJob(Number(row.id), 0)),
  );
}

module.exports = { deliveriesAdded };
