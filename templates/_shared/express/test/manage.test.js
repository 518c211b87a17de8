'use strict';
// scripts/manage.js as a user runs it, on databases of its own: create, migrate,
// create again, make the admin, refuse to drop without --yes, drop; roll back; and what
// create-admin refuses. Each command is a process of its own, as a user starts it;
// the three tests run at once, and within a test the commands that do not depend on
// each other too (each process is mostly start-up, so the suite stays quick).
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { describe, it } = require('./suites');

const driver = require('../src/db/driver');
const { PASSWORD, serverUrl, skipReason } = require('./support');

const ADMIN = 'ops-admin@example.com';
const USAGE = 'usage: manage.js create-database|drop-database --yes|migrate|rollback|create-admin';

/** The URL of a database that does not exist yet. */
function scratchUrl() {
  const name = `test_${crypto.randomBytes(6).toString('hex')}`;
  if (driver.server) return driver.siblingUrl(serverUrl(), name);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'test-manage-'));
  return `sqlite:///${path.join(folder, 'data', `${name}.db`)}`;
}

/**
 * Run one command of scripts/manage.js, with no terminal to ask in; the admin's
 * password is hashed at the tests' cheap cost (the command is under test, not argon2).
 * @param {string} url
 * @param {string[]} args
 * @param {Record<string, string>} [extra] more environment
 * @returns {Promise<{status: number | null, stdout: string, stderr: string}>}
 */
function manage(url, args, extra = {}) {
  const env = {
    ...process.env,
    DATABASE_URL: url,
    SECRET_KEY: 'a-test-secret-key-that-is-long-enough-for-production-checks',
    ENVIRONMENT: 'development',
    FIRST_ADMIN_EMAIL: ADMIN,
    FIRST_ADMIN_PASSWORD: PASSWORD,
    ADMIN_PASSWORD: '',
    PASSWORD_HASH_TIME_COST: '1',
    PASSWORD_HASH_MEMORY_KIB: '8192',
    ...extra,
  };
  const cwd = path.resolve(__dirname, '..');
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['scripts/manage.js', ...args],
      { cwd, env, encoding: 'utf8' },
      (_error, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

/**
 * Assert how a command ended.
 * @param {Promise<{status: number | null, stdout: string, stderr: string}>} running
 * @param {number} status
 * @param {string | RegExp} line the last line it printed (stdout on success, stderr otherwise)
 */
async function answers(running, status, line) {
  const done = await running;
  assert.equal(done.status, status, done.stdout + done.stderr);
  const printed = (status === 0 ? done.stdout : done.stderr).trim().split('\n');
  const last = printed[printed.length - 1];
  if (typeof line === 'string') assert.equal(last, line);
  else assert.match(last, line);
}

describe('scripts/manage.js', { skip: skipReason(), concurrency: true }, () => {
  it('creates, migrates, makes the admin and drops only when confirmed', async () => {
    const url = scratchUrl();
    try {
      await answers(manage(url, ['create-database']), 0, 'database created');
      await answers(manage(url, ['migrate']), 0, /^batch 1: /);
      await Promise.all([
        answers(manage(url, ['migrate']), 0, 'database is up to date'),
        answers(manage(url, ['create-database']), 0, 'database exists'),
        answers(manage(url, ['nonsense']), 2, USAGE),
        answers(
          manage(url, ['drop-database']),
          2,
          'drop-database: add --yes to drop the database and all its data',
        ),
      ]);
      await answers(manage(url, ['create-admin']), 0, `admin ready: ${ADMIN}`);
      await answers(manage(url, ['create-admin']), 0, `admin ready: ${ADMIN}`);
    } finally {
      await answers(manage(url, ['drop-database', '--yes']), 0, 'database dropped');
    }
    await answers(manage(url, ['create-database']), 0, 'database created');
    await answers(manage(url, ['drop-database', '--yes']), 0, 'database dropped');
  });

  it('rolls back the last batch, then every migration', async () => {
    const url = scratchUrl();
    try {
      await answers(manage(url, ['create-database']), 0, 'database created');
      await answers(manage(url, ['migrate']), 0, /^batch 1: /);
      await answers(manage(url, ['rollback', '--all']), 0, /^rolled back: /);
      await answers(manage(url, ['rollback']), 0, 'nothing to roll back');
    } finally {
      await manage(url, ['drop-database', '--yes']);
    }
  });

  it('refuses an admin without an email, a password, or with a short one', async () => {
    const url = scratchUrl();
    try {
      await answers(manage(url, ['create-database']), 0, 'database created');
      /** @type {[Record<string, string>, string][]} */
      const refusals = [
        [{ FIRST_ADMIN_EMAIL: '' }, 'create-admin: give --email or set FIRST_ADMIN_EMAIL'],
        [
          { FIRST_ADMIN_PASSWORD: '' },
          'create-admin: set FIRST_ADMIN_PASSWORD or run it in a terminal',
        ],
        [
          { FIRST_ADMIN_PASSWORD: 'short' },
          'create-admin: the password needs at least 8 characters',
        ],
      ];
      await Promise.all(
        refusals.map(([extra, refusal]) =>
          answers(manage(url, ['create-admin'], extra), 2, refusal),
        ),
      );
    } finally {
      await manage(url, ['drop-database', '--yes']);
    }
  });
});
