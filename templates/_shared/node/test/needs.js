'use strict';
/**
 * What the tests need from outside the project, and what happens when it is missing:
 * a test that needs a service this machine lacks (a database server, a Docker engine)
 * skips with the reason; under CI=true, where every test must run, it fails instead.
 */
const { spawnSync } = require('node:child_process');

function inCi() {
  return ['1', 'true', 'yes'].includes(String(process.env.CI || '').toLowerCase());
}

/**
 * `reason` as a test's skip reason, or an error under CI=true.
 * @param {string} reason
 * @returns {string}
 */
function skipOrFail(reason) {
  if (inCi()) throw new Error(`${reason} (CI=true: a missing service is a failure, not a skip)`);
  return reason;
}

/**
 * @param {string} command
 * @param {string[]} args
 */
function succeeds(command, args) {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/**
 * The Compose command of this machine's Docker engine, or null with no engine:
 * v2 (`docker compose`) where installed, else v1 (`docker-compose`).
 * @returns {string[] | null}
 */
function composeCommand() {
  if (!succeeds('docker', ['info'])) return null;
  if (succeeds('docker', ['compose', 'version'])) return ['docker', 'compose'];
  if (succeeds('docker-compose', ['version'])) return ['docker-compose'];
  return null;
}

module.exports = { inCi, skipOrFail, composeCommand };
