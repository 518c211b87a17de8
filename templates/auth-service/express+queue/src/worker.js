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
const {
  Heartbeat,
  addMissing,
  firstLine,
  healthy,
  heartbeatFile,
  openQueue,
  openWorker,
  sweeping,
  withTimeout,
} = require('./core/queue');
const { connect } = require('./db');
const jobs = require('./services/mail-jobs');

/** How long the heartbeat waits for Redis to answer. */
const ALIVE_TIMEOUT_MS = 2000;
/** How often the worker says that Redis cannot be reached, at most. */
const WARN_EVERY_MS = 60_000;

async function main() {
  const settings = loadSettings();
  const queueSettings = settings.features.queue;
  if (process.argv.includes('--health')) {
    process.exitCode = healthy(heartbeatFile(queueSettings.prefix)) ? 0 : 1;
    return;
  }
  const logger = createLogger(settings);
  if (!queueSettings.redisUrl) {
    throw new Error('REDIS_URL is not set: the worker takes its jobs from Redis');
  }
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
async function work(db, settings, logger) {
  const queueSettings = settings.features.queue;
  const mail = settings.kind.mail;
  const stopping = new AbortController();
  const stop = () => stopping.abort();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // One warning a minute while Redis is away, not one per reconnection.
  let warned = -Infinity;
  /** @param {Error} error */
  const onError = (error) => {
    if (performance.now() - warned < WARN_EVERY_MS) return;
    warned = performance.now();
    logger.warn(`Redis cannot be reached, retrying: ${firstLine(error)}`);
  };
  const worker = openWorker(
    queueSettings,
    jobs.QUEUE,
    (job) => jobs.runMailJob(db, mail, job, (line) => logger.info(line)),
    { concurrency: jobs.CONCURRENCY, backoffStrategy: jobs.backoffStrategy(mail), onError },
  );
  worker.on('failed', (job, error) => {
    if (job && job.finishedOn) {
      logger.warn(`job ${job.id} is in the failed set: ${firstLine(error)}`);
    }
  });
  const queue = openQueue(queueSettings, jobs.QUEUE, onError);
  const heartbeat = new Heartbeat(heartbeatFile(queueSettings.prefix), async () => {
    if (!worker.isRunning()) return false;
    await withTimeout(queue.count(), ALIVE_TIMEOUT_MS, 'asking Redis');
    return true;
  });
  const sweep = async () => {
    // Without a server to send to, the messages wait: no job would send them.
    if (!mail.smtpUrl) return;
    const added = await addMissing(queue, await jobs.pendingMailJobs(db));
    if (added) logger.info(`sweeper: enqueued ${added} pending messages that had no job`);
  };
  try {
    await heartbeat.start();
    await sweeping(queueSettings.sweepSeconds, sweep, stopping.signal, logger);
  } finally {
    heartbeat.stop();
    await worker.close();
    await queue.close();
  }
}

// Before the logger exists (settings that do not load), stderr as it is.
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
