'use strict';
/**
 * What the tests of the features on Redis share: the Redis they may use
 * (TEST_REDIS_URL), one that cannot be reached, whether to skip, and a logger that
 * keeps its warnings.
 */
const { spawnSync } = require('node:child_process');

const { skipOrFail } = require('./needs');
const { skipReason } = require('./support');

const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379/0';
// Nothing listens there: a Redis that cannot be reached.
const UNREACHABLE = 'redis://127.0.0.1:1/0';

/**
 * Why the tests that need Redis cannot run here (no Redis at TEST_REDIS_URL, or no
 * database server), or false; under CI=true a missing Redis is an error, not a skip.
 * @returns {string | false}
 */
function redisSkipReason() {
  const { hostname, port } = new URL(REDIS_URL);
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      'const s = require("net").connect(Number(process.argv[2]), process.argv[1]);' +
        's.setTimeout(1000, () => process.exit(1));' +
        's.on("connect", () => process.exit(0)); s.on("error", () => process.exit(1));',
      hostname,
      port || '6379',
    ],
    { stdio: 'ignore' },
  );
  if (probe.status === 0) return skipReason();
  return skipOrFail(
    `no Redis answers at ${REDIS_URL}: set TEST_REDIS_URL to one the tests may use`,
  );
}

/** A logger that keeps its warnings. */
function warnings() {
  /** @type {string[]} */
  const lines = [];
  return { lines, warn: (/** @type {string} */ message) => lines.push(message) };
}

module.exports = { REDIS_URL, UNREACHABLE, redisSkipReason, warnings };
