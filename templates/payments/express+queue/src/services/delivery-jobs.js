'use strict';
/**
 * The webhook deliveries as jobs of the queue `webhooks` (feature "queue"): one job per
 * delivery, added once the transaction that wrote it commits (services/delivery-hooks.js),
 * run by the worker (src/worker.js).
 *
 * The database stays the truth. A job claims its delivery with a conditional update
 * (still pending, due, and no other worker's lease running), posts it and records the
 * attempt as services/deliveries.js does. A failed attempt throws, and BullMQ runs the
 * job again when the delivery's next_attempt_at comes (the backoff of
 * WEBHOOK_BACKOFF_SECONDS, doubling); after WEBHOOK_MAX_ATTEMPTS attempts the delivery is
 * `failed` and the job stays in the queue's failed set. A job that finds its delivery
 * held by another worker, or not due yet, waits for then; one that finds it done ends.
 * The sweeper (lostDeliveries) finds what the queue lost: pending deliveries that are
 * due and have no job alive.
 * @module services/delivery-jobs
 */
const crypto = require('node:crypto');

const { DelayedError, UnrecoverableError } = require('bullmq');

const { isoTimestamp, now } = require('../db');
const { backoffMs, claimedBy, post, recordAttempt } = require('./deliveries');

/** The queue of the deliveries, and the name of its jobs. */
const QUEUE = 'webhooks';
const JOB = 'deliver';
/** Jobs a worker runs at once. */
const CONCURRENCY = 5;
/** The deliveries the sweeper looks at in one go. */
const SWEEP_LIMIT = 500;
/**
 * BullMQ's bound on a job's runs: the most WEBHOOK_MAX_ATTEMPTS allows. The worker's
 * WEBHOOK_MAX_ATTEMPTS decides, through the database: its last failed attempt fails
 * the job whatever is left of this.
 */
const JOB_ATTEMPTS = 20;
/** How long a claim lasts beyond the endpoint's timeout (resolving, recording the attempt). */
const LEASE_MARGIN_MS = 10_000;

/**
 * @typedef {import('./deliveries').DeliverySettings} DeliverySettings
 * @typedef {import('../core/queue').JobRequest} JobRequest
 */

/**
 * The job of a delivery that has had `attempts` attempts. Its id names the delivery and
 * the attempt it starts with, so that the same job asked for twice is added once.
 * @param {number} deliveryId
 * @param {number} attempts
 * @returns {JobRequest}
 */
function deliveryJob(deliveryId, attempts) {
  const id = (/** @type {number} */ attempt) => `delivery-${deliveryId}-${attempt}`;
  return {
    queue: QUEUE,
    name: JOB,
    data: { deliveryId },
    opts: {
      jobId: id(attempts + 1),
      attempts: JOB_ATTEMPTS,
      backoff: { type: 'custom' },
    },
    // The jobs of the delivery's earlier attempts: while one is alive, it does the work.
    earlier: Array.from({ length: attempts }, (_, i) => id(i + 1)),
  };
}

/**
 * How long a job's claim on its delivery lasts, in ms.
 * @param {DeliverySettings} settings
 */
function jobLeaseMs(settings) {
  return settings.webhookTimeoutSeconds * 1000 + LEASE_MARGIN_MS;
}

/** A failed attempt whose retry the database has scheduled at `retryAt` (epoch ms). */
class AttemptFailed extends Error {
  /**
   * @param {string} message
   * @param {number} retryAt
   */
  constructor(message, retryAt) {
    super(message);
    this.name = 'AttemptFailed';
    this.retryAt = retryAt;
  }
}

/**
 * The wait before BullMQ runs a failed job again: until the delivery's next_attempt_at
 * (AttemptFailed), else (the database did not answer, say) the backoff of its attempts.
 * @param {DeliverySettings} settings
 * @returns {import('bullmq').BackoffStrategy}
 */
function backoffStrategy(settings) {
  return (attemptsMade, _type, error) =>
    error instanceof AttemptFailed
      ? Math.max(0, error.retryAt - Date.now())
      : backoffMs(attemptsMade, settings);
}

/**
 * A stored timestamp in epoch ms (null stays null).
 * @param {Date | number | string | null} value
 */
function epochMs(value) {
  const iso = isoTimestamp(value);
  return iso === null ? null : new Date(iso).getTime();
}

/**
 * Claim the delivery `deliveryId` if it is pending and due (no lease running).
 * @param {import('knex').Knex} db
 * @param {number} deliveryId
 * @param {{at: Date, token: string, holdMs: number}} claim
 */
async function claimOne(db, deliveryId, { at, token, holdMs }) {
  const changed = await db('deliveries')
    .where({ id: deliveryId, status: 'pending' })
    .where('next_attempt_at', '<=', at)
    .update({ claim_token: token, next_attempt_at: new Date(at.getTime() + holdMs) });
  if (changed !== 1) return null;
  const [claimed] = await claimedBy(db, token);
  return claimed ?? null;
}

/**
 * Run the job of one delivery (the worker's processor).
 * @param {import('knex').Knex} db
 * @param {DeliverySettings} settings
 * @param {import('bullmq').Job} job
 * @param {string | undefined} token the job's lock (to move it back to the delayed set)
 * @param {(line: string) => void} log
 * @returns {Promise<string>} what became of it (the job's result)
 */
async function runDeliveryJob(db, settings, job, token, log) {
  const deliveryId = Number(job.data.deliveryId);
  const claim = crypto.randomBytes(16).toString('hex');
  const attemptedAt = now();
  const claimed = await claimOne(db, deliveryId, {
    at: attemptedAt,
    token: claim,
    holdMs: jobLeaseMs(settings),
  });
  if (!claimed) {
    const row = await db('deliveries')
      .where({ id: deliveryId })
      .first('status', 'next_attempt_at', 'claim_token');
    if (!row || row.status !== 'pending') return `nothing to do: ${row ? row.status : 'deleted'}`;
    // Another worker holds it (look again when its lease ends: it may have died), or it
    // is not due yet: wait for then.
    const at = Number(epochMs(row.next_attempt_at)) + (row.claim_token ? 1000 : 0);
    await job.moveToDelayed(at, token);
    throw new DelayedError();
  }
  const started = performance.now();
  const { statusCode, error } = await post(claimed, settings);
  const kept = await recordAttempt(db, claimed, claim, settings, {
    attemptedAt,
    statusCode,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  log(
    `delivery ${deliveryId} (event ${claimed.eventId} ${claimed.eventType}) to webhook ` +
      `${claimed.webhookId}, attempt ${claimed.attemptCount + 1}: ` +
      `${statusCode !== null ? `status ${statusCode}` : error}` +
      `${kept ? '' : ' (claim lost, not recorded)'}`,
  );
  if (!kept) return 'claim lost';
  const row = await db('deliveries').where({ id: deliveryId }).first('status', 'next_attempt_at');
  if (row.status === 'succeeded') return 'delivered';
  if (row.status === 'failed') {
    // Into the failed set, whatever attempts BullMQ thinks are left.
    throw new UnrecoverableError(`attempts used up: ${error}`);
  }
  throw new AttemptFailed(String(error), Number(epochMs(row.next_attempt_at)));
}

/**
 * The jobs of the pending deliveries that are due at `at` (oldest first): those the
 * queue lost, and those whose job is alive (addMissing leaves these).
 * @param {import('knex').Knex} db
 * @param {Date} at
 * @returns {Promise<JobRequest[]>}
 */
async function dueDeliveryJobs(db, at) {
  const rows = await db('deliveries')
    .where('status', 'pending')
    .where('next_attempt_at', '<=', at)
    .orderBy([{ column: 'next_attempt_at' }, { column: 'id' }])
    .limit(SWEEP_LIMIT)
    .select('id', 'attempt_count');
  return rows.map((row) => deliveryJob(Number(row.id), Number(row.attempt_count)));
}

module.exports = {
  CONCURRENCY,
  JOB,
  QUEUE,
  AttemptFailed,
  backoffStrategy,
  claimOne,
  deliveryJob,
  dueDeliveryJobs,
  jobLeaseMs,
  runDeliveryJob,
};
