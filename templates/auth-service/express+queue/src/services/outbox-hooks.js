'use strict';
/**
 * What follows the writing of an outbox message (feature "queue"): a job that mails it,
 * added to the queue once the transaction commits (core/queue.js' afterCommit); if
 * Redis does not take it, the worker's sweeper finds the message pending and will.
 * @module services/outbox-hooks
 */
const { afterCommit } = require('../core/queue');
const { mailJob } = require('./mail-jobs');

/**
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db the transaction
 * @param {number} messageId
 */
async function messageWritten(db, messageId) {
  if ('executionPromise' in db) afterCommit(db, [mailJob(messageId)]);
}

module.exports = { messageWritten };
