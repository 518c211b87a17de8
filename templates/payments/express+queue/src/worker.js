'use strict';
/**
 * The webhook worker (feature "queue"): `node src/worker.js` runs the jobs of the queue
 * `webhooks` in Redis (services/delivery-jobs.js), a few at once, and sweeps.
 *
 * Each job posts one delivery; BullMQ runs a failed one again when the database's
 * next_attempt_at comes, and keeps it in its failed set once WEBHOOK_MAX_ATTEMPTS
 * attempts have failed. A job whose worker died (its lock ran out) runs again. The
 * sweeper, at start and every QUEUE_SWEEP_SECONDS, adds a job for each due delivery
 * that has none (enqueued while Redis was down, or held by a worker that died). The
 * worker keeps a heartbeat while it runs and Redis answers: `--health` exits 0 while it
 * is fresh, 1 otherwise. `--once` delivers what is due straight from the database,
 * without Redis, and exits. SIGTERM or Ctrl-C stops it once its running jobs are done.
 * It logs as the server does (core/logs.js: JSON lines on stderr, LOG_LEVEL, LOG_FORMAT).
 * @module worker
 */
const { loadSettings } = require('./core/config');
const { createLogger } = require('./core/logs');
const { addMissing, healthy, heartbeatFile, runQueueWorker } = require('./core/queue');
const { connect, now } = require('./db');
const { runOnce } = require('./services/deliveries');
const jobs = require('./services/delivery-jobs');

async function main() {
  const settings = loadSettings();
  const queueSettings = settings.features.queue;
  if (process.argv.includes('--health')) {
    process.exitCode = healthy(heartbeatFile(queueSettings.prefix)) ? 0 : 1;
    return;
  }
  const logger = createLogger(settings);
  /** @param {string} line */
  const log = (line) => logger.info(line);
  const deliverySettings = settings.kind;
  const db = connect(settings.databaseUrl);
  log('webhook worker started');
  try {
    if (process.argv.includes('--once')) {
      await runOnce(db, deliverySettings, { log });
    } else {
      await work(db, settings, logger);
    }
  } finally {
    await db.destroy();
  }
  log('webhook worker stopped');
}

/**
 * Run the jobs and the sweeper until SIGTERM or SIGINT.
 * @param {import('knex').Knex} db
 * @param {import('./core/config').Settings} settings
 * @param {import('./core/logs').Logger} logger
 */
function work(db, settings, logger) {
  const deliverySettings = settings.kind;
  return runQueueWorker(
    settings.features.queue,
    jobs.QUEUE,
    (job, token) =>
      jobs.runDeliveryJob(db, deliverySettings, job, token, (line) => logger.info(line)),
    {
      concurrency: jobs.CONCURRENCY,
      backoffStrategy: jobs.backoffStrategy(deliverySettings),
      sweep: async (queue) => {
        const added = await addMissing(queue, await jobs.dueDeliveryJobs(db, now()));
        if (added) logger.info(`sweeper: enqueued ${added} due deliveries that had no job`);
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
