'use strict';
/**
 * The mail worker (feature "queue"): `node src/worker.js` runs the jobs of the queue
 * `mail` in Redis (services/mail-jobs.js), a few at once, and sweeps.
 *
 * Each job sends one outbox message over SMTP (SMTP_URL) and marks it sent; a failed
 * attempt runs again after MAIL_BACKOFF_SECONDS (doubling), and after MAIL_MAX_ATTEMPTS
 * the message is `failed` and its job stays in the queue's failed set. A job whose
 * worker died (its lock ran out) runs again. The sweeper, at start and every
 * QUEUE_SWEEP_SECONDS, adds a job for each pending message that has none (written while
 * Redis was down, say). With SMTP_URL empty nothing is sent: the messages stay pending
 * in the outbox. The worker keeps a heartbeat while it runs and Redis answers:
 * `--health` exits 0 while it is fresh, 1 otherwise. SIGTERM or Ctrl-C stops it once its
 * running jobs are done. It logs as the server does (core/logs.js).
 * @module worker
 */
const { loadSettings } = require('./core/config');
const { createLogger } = require('./core/logs');
const { addMissing, healthy, heartbeatFile, runQueueWorker } = require('./core/queue');
const { connect } = require('./db');
const jobs = require('./services/mail-jobs');

async function main() {
  const settings = loadSettings();
  const queueSettings = settings.features.queue;
  if (process.argv.includes('--health')) {
    process.exitCode = healthy(heartbeatFile(queueSettings.prefix)) ? 0 : 1;
    return;
  }
  const logger = createLogger(settings);
  const db = connect(settings.databaseUrl);
  logger.info('mail worker started');
  if (!settings.kind.mail.smtpUrl) {
    logger.warn('SMTP_URL is empty: nothing is sent, the messages stay in the outbox');
  }
  try {
    await work(db, settings, logger);
  } finally {
    await db.destroy();
  }
  logger.info('mail worker stopped');
}

/**
 * Run the jobs and the sweeper until SIGTERM or SIGINT.
 * @param {import('knex').Knex} db
 * @param {import('./core/config').Settings} settings
 * @param {import('./core/logs').Logger} logger
 */
function work(db, settings, logger) {
  const mail = settings.kind.mail;
  return runQueueWorker(
    settings.features.queue,
    jobs.QUEUE,
    (job) => jobs.runMailJob(db, mail, job, (line) => logger.info(line)),
    {
      concurrency: jobs.CONCURRENCY,
      backoffStrategy: jobs.backoffStrategy(mail),
      sweep: async (queue) => {
        // Without a server to send to, the messages wait: no job would send them.
        if (!mail.smtpUrl) return;
        const added = await addMissing(queue, await jobs.pendingMailJobs(db));
        if (added) logger.info(`sweeper: enqueued ${added} pending messages that had no job`);
      },
      logger,
    },
  );
}

// Before the logger exists (settings that do not load), stderr as it is.
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
