'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, it } = require('./suites');

const { Worker } = require('bullmq');

const {
  ADD_TIMEOUT_MS,
  HEARTBEAT_STALE_MS,
  Enqueuer,
  Heartbeat,
  addMissing,
  afterCommit,
  healthy,
  heartbeatFile,
  sweeping,
  withJobs,
  withTimeout,
} = require('../src/core/queue');
const { transaction } = require('../src/db');
const { REDIS_URL, UNREACHABLE, redisSkipReason, warnings } = require('./redis-support');
const { dropQueue, lookAt, newPrefix, waitFor } = require('./queue-support');
const { startApp } = require('./support');

/**
 * A job of the queue `q`.
 * @param {string} jobId
 * @param {string[]} [earlier]
 */
const job = (jobId, earlier) => ({
  queue: 'q',
  name: 'n',
  data: { jobId },
  opts: { jobId },
  ...(earlier ? { earlier } : {}),
});

describe('adding jobs while Redis cannot be reached', () => {
  it('answers false within its bound, and warns once', async () => {
    const logger = warnings();
    const enqueuer = new Enqueuer(
      { redisUrl: UNREACHABLE, prefix: newPrefix(), sweepSeconds: 30 },
      logger,
    );
    try {
      const started = performance.now();
      assert.equal(await enqueuer.add([job('a-1')]), false);
      assert.ok(performance.now() - started < ADD_TIMEOUT_MS + 1000);
      assert.equal(await enqueuer.add([job('a-2')]), false);
      assert.equal(logger.lines.length, 1);
      assert.match(logger.lines[0], /jobs are left to the sweeper .*Redis cannot be reached/);
    } finally {
      enqueuer.close();
    }
  });

  it('adds nothing, and says nothing, without REDIS_URL', async () => {
    const logger = warnings();
    const enqueuer = new Enqueuer({ redisUrl: '', prefix: 'queue', sweepSeconds: 30 }, logger);
    assert.equal(await enqueuer.add([job('a-1')]), false);
    assert.deepEqual(logger.lines, []);
    enqueuer.close();
  });

  it('bounds what takes too long', async () => {
    const never = new Promise(() => {});
    await assert.rejects(withTimeout(never, 10, 'waiting'), /waiting took more than 10 ms/);
    assert.equal(await withTimeout(Promise.resolve(3), 10, 'waiting'), 3);
  });
});

describe('the queue in Redis', { skip: redisSkipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  const prefix = newPrefix();
  /** @type {Enqueuer} */
  let enqueuer;
  /** @type {ReturnType<typeof lookAt>} */
  let queue;
  before(async () => {
    ctx = await startApp();
    enqueuer = new Enqueuer({ redisUrl: REDIS_URL, prefix, sweepSeconds: 30 }, warnings());
    queue = lookAt(prefix, 'q');
  });
  after(async () => {
    enqueuer.close();
    await queue.close();
    await dropQueue(prefix, 'q');
    await ctx.close();
  });

  /** The ids of the jobs of `q` that wait. */
  async function waiting() {
    return (await queue.getWaiting()).map((j) => j.id).sort();
  }

  it('adds a job once, however often it is asked for', async () => {
    assert.equal(await enqueuer.add([job('once-1'), job('once-1')]), true);
    assert.equal(await enqueuer.add([job('once-1')]), true);
    assert.deepEqual(await waiting(), ['once-1']);
  });

  it('adds the jobs of a committed transaction once the work is done, none of one rolled back', async () => {
    const result = await withJobs(enqueuer, async () => {
      await transaction(ctx.db, async (trx) => {
        assert.equal(afterCommit(trx, [job('commit-1')]), true);
      });
      await transaction(ctx.db, async (trx) => {
        afterCommit(trx, [job('rollback-1')]);
        throw new Error('rolled back');
      }).catch(() => {});
      // Not before the work is done.
      assert.equal(await queue.getJobState('commit-1'), 'unknown');
      return 'done';
    });
    assert.equal(result, 'done');
    assert.equal(await queue.getJobState('commit-1'), 'waiting');
    assert.equal(await queue.getJobState('rollback-1'), 'unknown');
  });

  it('adds the jobs of a work that fails after its commit, and none outside a work', async () => {
    await assert.rejects(
      withJobs(enqueuer, async () => {
        await transaction(ctx.db, async (trx) => afterCommit(trx, [job('failing-1')]));
        throw new Error('after the commit');
      }),
      /after the commit/,
    );
    assert.equal(await queue.getJobState('failing-1'), 'waiting');
    await transaction(ctx.db, async (trx) => {
      assert.equal(afterCommit(trx, [job('outside-1')]), false);
    });
    assert.equal(await queue.getJobState('outside-1'), 'unknown');
  });

  it('has the sweeper add only what has no job alive, and replace a finished one', async () => {
    await queue.add('n', {}, { jobId: 'sweep-1' });
    // Alive: itself, or an earlier job of the same work.
    assert.equal(await addMissing(queue, [job('sweep-1'), job('sweep-2', ['sweep-1'])]), 0);
    const worker = new Worker(
      'q',
      async (done) => {
        if (done.id === 'sweep-1') throw new Error('fails');
        return 'ok';
      },
      { connection: { url: REDIS_URL }, prefix },
    );
    try {
      await waitFor(
        async () => (await queue.getJobState('sweep-1')) === 'failed',
        10_000,
        'the job to fail',
      );
      await queue.add('n', {}, { jobId: 'sweep-3' });
      await waitFor(
        async () => (await queue.getJobState('sweep-3')) === 'completed',
        10_000,
        'the job to complete',
      );
      await worker.pause();
      assert.equal(await addMissing(queue, [job('sweep-1'), job('sweep-3'), job('new-1')]), 3);
      assert.equal(await queue.getJobState('sweep-1'), 'waiting');
      assert.equal(await queue.getJobState('sweep-3'), 'waiting');
      assert.equal(await queue.getJobState('new-1'), 'waiting');
    } finally {
      await worker.close();
    }
  });
});

describe("the worker's heartbeat and sweeper", () => {
  it('is fresh while the worker is alive, stale or gone otherwise', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'beat-')), 'heartbeat');
    assert.equal(healthy(file), false);
    let alive = true;
    const heartbeat = new Heartbeat(file, async () => alive);
    await heartbeat.start();
    assert.equal(healthy(file), true);
    assert.equal(healthy(file, Date.now() + HEARTBEAT_STALE_MS + 1000), false);
    alive = false;
    fs.rmSync(file);
    await heartbeat.start();
    assert.equal(healthy(file), false);
    heartbeat.stop();
    assert.equal(fs.existsSync(file), false);
    assert.match(heartbeatFile('queue'), /queue-worker\.heartbeat$/);
  });

  it('sweeps at once and then every interval, logs a failed sweep, and stops', async () => {
    const logger = warnings();
    const stopping = new AbortController();
    let sweeps = 0;
    const loop = sweeping(
      0.05,
      async () => {
        sweeps += 1;
        if (sweeps === 2) throw new Error('no database');
        if (sweeps === 3) {
          stopping.abort();
          await new Promise(() => {}); // a sweep that waits for ever ends with the loop
        }
      },
      stopping.signal,
      /** @type {any} */ (logger),
    );
    await loop;
    assert.equal(sweeps, 3);
    assert.deepEqual(logger.lines, ['sweep failed, trying again in 0.05 s: no database']);
  });
});
