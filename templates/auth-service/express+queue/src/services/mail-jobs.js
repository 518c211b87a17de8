'use strict';
/**
 * The outbox's messages as jobs of the queue `mail` (feature "queue"): one job per
 * message, its id made from the message's (`mail-<id>`), added once the transaction
 * that wrote it commits (services/outbox-hooks.js), run by the worker (src/worker.js).
 *
 * The database stays the truth. A job sends its message if it is still `pending`, and
 * marks it `sent`. A failed attempt counts in the row (attempts, last_error) and throws:
 * BullMQ runs the job again after MAIL_BACKOFF_SECONDS, doubled at each failure; the
 * attempt that reaches MAIL_MAX_ATTEMPTS marks the message `failed` and leaves the job
 * in the queue's failed set. The sweeper (pendingMailJobs) finds what the queue lost:
 * pending messages with no job alive.
 * @module services/mail-jobs
 */
const { UnrecoverableError } = require('bullmq');

const { sendMail } = require('../core/mail');
const { isoTimestamp, now } = require('../db');

/** The queue of the messages, and the name of its jobs. */
const QUEUE = 'mail';
const JOB = 'send';
/** Messages a worker sends at once. */
const CONCURRENCY = 4;
/** The messages the sweeper looks at in one go. */
const SWEEP_LIMIT = 500;
/**
 * BullMQ's bound on a job's runs: the most MAIL_MAX_ATTEMPTS allows. The row's attempts
 * decide: the attempt that reaches MAIL_MAX_ATTEMPTS fails the job whatever is left.
 */
const JOB_ATTEMPTS = 50;
/** The longest last_error kept. */
const ERROR_LENGTH = 500;

/**
 * @typedef {import('../core/mail-settings').MailSettings} MailSettings
 * @typedef {import('../core/queue').JobRequest} JobRequest
 */

/**
 * The job of the outbox message `messageId`.
 * @param {number} messageId
 * @returns {JobRequest}
 */
function mailJob(messageId) {
  return {
    queue: QUEUE,
    name: JOB,
    data: { messageId },
    opts: { jobId: `mail-${messageId}`, attempts: JOB_ATTEMPTS, backoff: { type: 'custom' } },
  };
}

/**
 * The wait after the `attempts`-th failed attempt, in ms.
 * @param {number} attempts
 * @param {MailSettings} settings
 */
function backoffMs(attempts, settings) {
  return Math.round(settings.backoffSeconds * 1000 * 2 ** Math.max(0, attempts - 1));
}

/** A failed attempt, to try again after `delayMs`. */
class AttemptFailed extends Error {
  /**
   * @param {string} message
   * @param {number} delayMs
   */
  constructor(message, delayMs) {
    super(message);
    this.name = 'AttemptFailed';
    this.delayMs = delayMs;
  }
}

/**
 * The wait before BullMQ runs a failed job again: the backoff of the message's attempts
 * (AttemptFailed), else (the database did not answer, say) that of the job's runs.
 * @param {MailSettings} settings
 * @returns {import('bullmq').BackoffStrategy}
 */
function backoffStrategy(settings) {
  return (attemptsMade, _type, error) =>
    error instanceof AttemptFailed ? error.delayMs : backoffMs(attemptsMade, settings);
}

/**
 * The first line of an error's message, cut to what last_error keeps.
 * @param {unknown} error
 */
function errorText(error) {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].slice(0, ERROR_LENGTH);
}

/**
 * Run the job of one message (the worker's processor).
 * @param {import('knex').Knex} db
 * @param {MailSettings} settings
 * @param {import('bullmq').Job} job
 * @param {(line: string) => void} log
 * @returns {Promise<string>} what became of it (the job's result)
 */
async function runMailJob(db, settings, job, log) {
  const id = Number(job.data.messageId);
  const row = await db('outbox').where({ id }).first();
  if (!row || row.status !== 'pending') return `nothing to do: ${row ? row.status : 'deleted'}`;
  if (!settings.smtpUrl) return 'not sent: SMTP_URL is empty';
  const attempts = Number(row.attempts) + 1;
  const message = {
    id,
    createdAt: new Date(/** @type {string} */ (isoTimestamp(row.created_at))),
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
  };
  let answer;
  try {
    answer = await sendMail(settings, message);
  } catch (error) {
    const failed = attempts >= settings.maxAttempts;
    await db('outbox')
      .where({ id, status: 'pending' })
      .update({ status: failed ? 'failed' : 'pending', attempts, last_error: errorText(error) });
    log(`message ${id}, attempt ${attempts} of ${settings.maxAttempts}: ${errorText(error)}`);
    // Into the failed set, whatever runs BullMQ thinks are left.
    if (failed) throw new UnrecoverableError(`attempts used up: ${errorText(error)}`);
    throw new AttemptFailed(errorText(error), backoffMs(attempts, settings));
  }
  await db('outbox')
    .where({ id, status: 'pending' })
    .update({ status: 'sent', attempts, sent_at: now(), last_error: null });
  log(`message ${id} sent, attempt ${attempts}: ${answer}`);
  return 'sent';
}

/**
 * The jobs of the pending messages (oldest first): those the queue lost, and those
 * whose job is alive (addMissing leaves these).
 * @param {import('knex').Knex} db
 * @returns {Promise<JobRequest[]>}
 */
async function pendingMailJobs(db) {
  const rows = await db('outbox')
    .where({ status: 'pending' })
    .orderBy('id')
    .limit(SWEEP_LIMIT)
    .select('id');
  return rows.map((row) => mailJob(Number(row.id)));
}

module.exports = {
  CONCURRENCY,
  JOB,
  QUEUE,
  AttemptFailed,
  backoffMs,
  backoffStrategy,
  mailJob,
  pendingMailJobs,
  runMailJob,
};
