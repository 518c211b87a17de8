'use strict';
/**
 * The job queue (feature "queue"): BullMQ on the Redis of REDIS_URL, every key under
 * QUEUE_PREFIX. What every kind's jobs share, and no kind's names:
 *
 * - afterCommit(): a write asks, inside its transaction, for the jobs of what it wrote;
 *   they are added once that transaction commits (features/queue.js adds them when the
 *   route's handler is done), and never when it rolls back.
 * - Enqueuer: adds jobs without ever failing the request: when Redis does not answer
 *   (or takes longer than ADD_TIMEOUT_MS) it logs one warning, leaves Redis alone for a
 *   few seconds (core/redis.js' FailOpenRedis), and the jobs are the sweeper's.
 * - openWorker(), openQueue(): the worker process's connections.
 * - addMissing(): what the sweeper adds: a job whose work the database says is still to
 *   do, unless a job for it is alive (waiting, delayed, active) in the queue.
 * - sweeping(): the sweeper's loop; Heartbeat and healthy(): the worker's `--health`.
 * - runQueueWorker(): a worker process's main loop (jobs, sweeper, heartbeat, stop).
 *
 * The database stays the truth: the queue only says when to look at it.
 * @module core/queue
 */
const { AsyncLocalStorage } = require('node:async_hooks');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const { Queue, Worker } = require('bullmq');

const { FailOpenRedis } = require('./redis');

/**
 * How long a request waits for Redis to take its jobs before it goes on without it (to
 * connect, for each command, and in all): longer than the cache's, as it is once per write.
 */
const ADD_TIMEOUT_MS = 2000;
/** Jobs kept once done: completed (for a look), failed (the dead letters), per queue. */
const KEEP_COMPLETED = 1000;
const KEEP_FAILED = 10000;
/** A worker holds a job this long unless it renews its lock (every half of it). */
const LOCK_MS = 10_000;
/** How often a worker looks for jobs whose worker died (their lock ran out). */
const STALLED_CHECK_MS = 5000;
/** How often the worker's heartbeat is written, and when it counts as stale. */
const HEARTBEAT_MS = 5000;
const HEARTBEAT_STALE_MS = 30_000;
/** How long the heartbeat waits for Redis to answer. */
const ALIVE_TIMEOUT_MS = 2000;
/** How often a worker says that Redis cannot be reached, at most. */
const WARN_EVERY_MS = 60_000;
/** The states of a job that will still run (or runs now). */
const ALIVE = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

/**
 * @typedef {{redisUrl: string, prefix: string, sweepSeconds: number}} QueueSettings
 * @typedef {import('./logs').Logger} Logger
 * @typedef {{queue: string, name: string, data: Record<string, unknown>,
 *   opts: import('bullmq').JobsOptions & {jobId: string}, earlier?: string[]}} JobRequest
 *   a job to add to the queue named `queue`; `earlier`: the ids of other jobs that do
 *   the same work (then the sweeper adds none while one of them is alive)
 */

/** What every job of these queues keeps once done. */
const defaultJobOptions = {
  removeOnComplete: { count: KEEP_COMPLETED },
  removeOnFail: { count: KEEP_FAILED },
};

/** The jobs of the request being handled, asked for by afterCommit(). */
const pending = new AsyncLocalStorage();

/**
 * Add `jobs` once the transaction `trx` commits (none if it rolls back). Outside the
 * handling of a request (withJobs) there is no one to add them: the sweeper will.
 * @param {import('knex').Knex.Transaction} trx
 * @param {JobRequest[]} jobs
 * @returns {boolean} whether they will be added
 */
function afterCommit(trx, jobs) {
  /** @type {JobRequest[] | undefined} */
  const list = pending.getStore();
  if (!list) return false;
  trx.executionPromise.then(
    () => list.push(...jobs),
    () => {},
  );
  return true;
}

/**
 * Run `work` (a route's handler), then add the jobs its committed transactions asked
 * for, whether it succeeded or not.
 * @template T
 * @param {Enqueuer} enqueuer
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
async function withJobs(enqueuer, work) {
  /** @type {JobRequest[]} */
  const jobs = [];
  try {
    return await pending.run(jobs, work);
  } finally {
    if (jobs.length) await enqueuer.add(jobs);
  }
}

/**
 * `promise`, or an error after `ms`.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what for the error
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const late = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  promise.catch(() => {}); // what fails after the timeout has been answered for
  return /** @type {Promise<T>} */ (Promise.race([promise, late])).finally(() =>
    clearTimeout(timer),
  );
}

/** How long a stopping worker waits for BullMQ to close, at most. */
const CLOSE_MS = 8000;

/**
 * Close a worker, then its queue, within `ms`. BullMQ's close waits for the running
 * jobs, and also, forever, on a connection that is reconnecting (after Redis went away
 * and came back: taskforcesh/bullmq#4656); then the process is made to exit a second
 * later, once its caller has closed the rest. The jobs that were cut short run again
 * when their lock runs out: they bear being run twice.
 * @param {{close: () => Promise<unknown>}[]} closables
 * @param {Logger} logger
 * @param {number} [ms]
 * @returns {Promise<boolean>} whether everything closed in time
 */
async function closeWithin(closables, logger, ms = CLOSE_MS) {
  try {
    await withTimeout(
      (async () => {
        for (const closable of closables) await closable.close();
      })(),
      ms,
      'closing the queue',
    );
    return true;
  } catch (error) {
    logger.warn(`${firstLine(error)}: exiting without waiting for Redis`);
    setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
    return false;
  }
}

/** Adds jobs for the app; fails open (one warning, then the sweeper's). */
class Enqueuer {
  /**
   * @param {QueueSettings} settings empty REDIS_URL: adds nothing (the sweeper will)
   * @param {import('./redis').Warner} logger
   */
  constructor(settings, logger) {
    this.prefix = settings.prefix;
    this.redis = new FailOpenRedis(
      settings.redisUrl,
      logger,
      'jobs are left to the sweeper',
      undefined,
      ADD_TIMEOUT_MS,
    );
    /** @type {Map<string, Queue>} the queues on the connection `client` */
    this.queues = new Map();
    /** @type {import('ioredis').Redis | null} */
    this.client = null;
  }

  /**
   * The queue `name` on the connection `client` (a new connection: new queues).
   * @param {string} name
   * @param {import('ioredis').Redis} client
   */
  queue(name, client) {
    if (client !== this.client) {
      this.closeQueues();
      this.client = client;
    }
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: client, prefix: this.prefix, defaultJobOptions });
      queue.on('error', () => {}); // the add that meets it fails, and says so
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * Add `jobs`; a job whose id is in the queue already is not added again.
   * @param {JobRequest[]} jobs
   * @returns {Promise<boolean>} false if Redis is off or did not take them in time
   */
  async add(jobs) {
    /** @type {Map<string, JobRequest[]>} */
    const byQueue = new Map();
    for (const job of jobs) byQueue.set(job.queue, [...(byQueue.get(job.queue) ?? []), job]);
    const done = await this.redis.run((client) =>
      withTimeout(
        Promise.all(
          [...byQueue].map(([name, list]) =>
            this.queue(name, client).addBulk(
              list.map(({ name: jobName, data, opts }) => ({ name: jobName, data, opts })),
            ),
          ),
        ),
        ADD_TIMEOUT_MS,
        'adding jobs',
      ),
    );
    return done !== null;
  }

  closeQueues() {
    for (const queue of this.queues.values()) queue.close().catch(() => {});
    this.queues.clear();
  }

  /** Close the queues and the connection. */
  close() {
    this.closeQueues();
    this.redis.close();
  }
}

/**
 * The worker process's connection options: reconnects for as long as it runs.
 * @param {QueueSettings} settings
 */
function connection(settings) {
  // Commands fail while Redis is away instead of piling up (the sweeper tries later).
  return { url: settings.redisUrl, enableOfflineQueue: false };
}

/**
 * The queue `name`, for the worker process (its sweeper adds, its heartbeat asks).
 * @param {QueueSettings} settings
 * @param {string} name
 * @param {(error: Error) => void} onError
 */
function openQueue(settings, name, onError) {
  const queue = new Queue(name, {
    connection: connection(settings),
    prefix: settings.prefix,
    defaultJobOptions,
  });
  queue.on('error', onError);
  return queue;
}

/**
 * A BullMQ worker of the queue `name`: `concurrency` jobs at once, a job whose worker
 * died (its lock ran out) runs again, `backoffStrategy` decides the wait before a retry
 * (for jobs with `backoff: {type: 'custom'}`).
 * @param {QueueSettings} settings
 * @param {string} name
 * @param {import('bullmq').Processor} processor
 * @param {{concurrency: number, backoffStrategy: import('bullmq').BackoffStrategy,
 *   onError: (error: Error) => void}} options
 */
function openWorker(settings, name, processor, { concurrency, backoffStrategy, onError }) {
  const worker = new Worker(name, processor, {
    connection: { url: settings.redisUrl },
    prefix: settings.prefix,
    concurrency,
    lockDuration: LOCK_MS,
    stalledInterval: STALLED_CHECK_MS,
    settings: { backoffStrategy },
  });
  worker.on('error', onError);
  return worker;
}

/**
 * Add each job of `jobs` to `queue` unless a job with its id, or one of its `earlier`
 * ids, is alive; a completed or failed job of the same id is replaced.
 * @param {Queue} queue
 * @param {JobRequest[]} jobs
 * @returns {Promise<number>} how many were added
 */
async function addMissing(queue, jobs) {
  let added = 0;
  for (const job of jobs) {
    const ids = [job.opts.jobId, ...(job.earlier ?? [])];
    const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
    if (states.some((state) => ALIVE.has(state))) continue;
    if (states[0] !== 'unknown') await queue.remove(job.opts.jobId);
    await queue.add(job.name, job.data, job.opts);
    added += 1;
  }
  return added;
}

/**
 * Run `sweep` now and then every `seconds`, until `signal` aborts (which ends a sweep
 * that waits for Redis too); a sweep that fails is logged, and the next one tries again.
 * @param {number} seconds
 * @param {() => Promise<unknown>} sweep
 * @param {AbortSignal} signal
 * @param {Logger} logger
 */
async function sweeping(seconds, sweep, signal, logger) {
  /** @type {Promise<void>} */
  const aborted = new Promise((resolve) => signal.addEventListener('abort', () => resolve()));
  while (!signal.aborted) {
    try {
      const running = sweep();
      running.catch(() => {}); // a sweep cut short by the abort fails unheard
      await Promise.race([running, aborted]);
    } catch (error) {
      logger.warn(`sweep failed, trying again in ${seconds} s: ${firstLine(error)}`);
    }
    await sleep(seconds * 1000, undefined, { signal }).catch(() => {});
  }
}

/**
 * The first line of an error's message.
 * @param {unknown} error
 */
function firstLine(error) {
  return String(error instanceof Error ? error.message : error).split('\n')[0];
}

/**
 * Where the worker of `prefix` keeps its heartbeat: a file of this machine (container).
 * @param {string} prefix
 */
function heartbeatFile(prefix) {
  return path.join(os.tmpdir(), `${prefix}-worker.heartbeat`);
}

/**
 * The worker's heartbeat: the time, written to `file` every HEARTBEAT_MS while `alive()`
 * says yes (the worker runs and Redis answers); removed when the worker stops.
 */
class Heartbeat {
  /**
   * @param {string} file
   * @param {() => Promise<boolean>} alive
   */
  constructor(file, alive) {
    this.file = file;
    this.alive = alive;
    /** @type {NodeJS.Timeout | undefined} */
    this.timer = undefined;
  }

  /** Beat now, then every HEARTBEAT_MS. */
  start() {
    const beat = async () => {
      const alive = await this.alive().catch(() => false);
      if (this.timer === undefined) return; // stopped meanwhile
      if (alive) fs.writeFileSync(this.file, String(Date.now()));
      this.timer.refresh();
    };
    clearTimeout(this.timer);
    this.timer = setTimeout(beat, HEARTBEAT_MS);
    return beat();
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
    fs.rmSync(this.file, { force: true });
  }
}

/**
 * Whether the heartbeat in `file` is fresh (the worker's `--health`).
 * @param {string} file
 * @param {number} [now]
 */
function healthy(file, now = Date.now()) {
  let at;
  try {
    at = Number(fs.readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
  return now - at <= HEARTBEAT_STALE_MS;
}

/**
 * A worker process's main loop: run the jobs of the queue `name` (`processor`, with
 * openWorker()'s `concurrency` and `backoffStrategy`) and `sweep(queue)` every
 * settings.sweepSeconds, with a heartbeat, until SIGTERM or SIGINT; then close within
 * CLOSE_MS. Redis away is one warning a minute; a job left in the failed set is logged.
 * @param {QueueSettings} settings
 * @param {string} name
 * @param {import('bullmq').Processor} processor
 * @param {{concurrency: number, backoffStrategy: import('bullmq').BackoffStrategy,
 *   sweep: (queue: Queue) => Promise<void>, logger: Logger}} options
 */
async function runQueueWorker(
  settings,
  name,
  processor,
  { concurrency, backoffStrategy, sweep, logger },
) {
  if (!settings.redisUrl) {
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
  const worker = openWorker(settings, name, processor, { concurrency, backoffStrategy, onError });
  worker.on('failed', (job, error) => {
    if (job && job.finishedOn) {
      logger.warn(`job ${job.id} is in the failed set: ${firstLine(error)}`);
    }
  });
  const queue = openQueue(settings, name, onError);
  const heartbeat = new Heartbeat(heartbeatFile(settings.prefix), async () => {
    if (!worker.isRunning()) return false;
    await withTimeout(queue.count(), ALIVE_TIMEOUT_MS, 'asking Redis');
    return true;
  });
  try {
    await heartbeat.start();
    await sweeping(settings.sweepSeconds, () => sweep(queue), stopping.signal, logger);
  } finally {
    heartbeat.stop();
    await closeWithin([worker, queue], logger);
  }
}

module.exports = {
  ADD_TIMEOUT_MS,
  CLOSE_MS,
  HEARTBEAT_MS,
  HEARTBEAT_STALE_MS,
  Enqueuer,
  Heartbeat,
  addMissing,
  afterCommit,
  closeWithin,
  firstLine,
  healthy,
  heartbeatFile,
  openQueue,
  openWorker,
  runQueueWorker,
  sweeping,
  withJobs,
  withTimeout,
};
