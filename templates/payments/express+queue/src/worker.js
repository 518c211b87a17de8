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
const { connect, now } = require('./db');
const { runOnce } = require('./services/deliveries');
const jobs = require('./services/delivery-jobs');

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
async function work(db, settings, logger) {
  const queueSettings = settings.features.queue;
  if (!queueSettings.redisUrl) {
    throw new Error('REDIS_URL is not set: the worker takes its jobs from Redis');
  }
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
  const deliverySettings = settings.kind;
  const worker = openWorker(
    queueSettings,
    jobs.QUEUE,
    (job, token) =>
      jobs.runDeliveryJob(db, deliverySettings, job, token, (line) => logger.info(line)),
    {
      concurrency: jobs.CONCURRENCY,
      backoffStrategy: jobs.backoffStrategy(deliverySettings),
      onError,
    },
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
    const added = await addMissing(queue, await jobs.dueDeliveryJobs(db, now()));
    if (added) logger.info(`sweeper: enqueued ${added} due deliveries that had no job`);
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
