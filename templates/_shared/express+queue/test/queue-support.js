'use strict';
/**
 * What the tests of the job queue share: a key prefix of their own in Redis (removed
 * afterwards), a look into a queue, the worker process, and waiting for a condition.
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const { Queue } = require('bullmq');

const { REDIS_URL } = require('./redis-support');

/** A QUEUE_PREFIX of one test's own. */
function newPrefix() {
  return `test-queue-${crypto.randomBytes(6).toString('hex')}`;
}

/**
 * The queue `name` under `prefix`, to look at (call close()).
 * @param {string} prefix
 * @param {string} name
 */
function lookAt(prefix, name) {
  const queue = new Queue(name, { connection: { url: REDIS_URL }, prefix });
  queue.on('error', () => {});
  return queue;
}

/**
 * Remove every key of the queue `name` under `prefix`.
 * @param {string} prefix
 * @param {string} name
 */
async function dropQueue(prefix, name) {
  const queue = lookAt(prefix, name);
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}

/**
 * Wait until `check()` answers something truthy, and return it; fail after `ms`.
 * @template T
 * @param {() => Promise<T> | T} check
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
async function waitFor(check, ms, what) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`waited ${ms} ms for ${what}`);
    await sleep(100);
  }
}

/**
 * `node src/worker.js args` with `env` on top of this one's; its log messages (the JSON
 * lines on stderr) gather in `messages`.
 * @param {Record<string, string>} env
 * @param {string[]} [args]
 */
function startWorker(env, args = []) {
  const child = spawn(process.execPath, ['src/worker.js', ...args], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  /** @type {string[]} */
  const messages = [];
  let rest = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      try {
        messages.push(JSON.parse(line).message);
      } catch {
        messages.push(line);
      }
    }
  });
  /** @type {Promise<{code: number | null, signal: string | null}>} */
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    messages,
    exited,
    /**
     * Wait for a message that matches `pattern`.
     * @param {RegExp} pattern
     * @param {number} [ms]
     */
    said: (pattern, ms = 20_000) =>
      waitFor(() => messages.find((m) => pattern.test(m)), ms, `the worker to log ${pattern}`),
    /**
     * Send `signal` and wait for the process to end.
     * @param {NodeJS.Signals} [signal]
     */
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

module.exports = { dropQueue, lookAt, newPrefix, startWorker, waitFor };
