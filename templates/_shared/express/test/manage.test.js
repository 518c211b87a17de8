'use strict';
// scripts/manage.js as a user runs it, on a database of its own: create, migrate,
// create again, make the admin, refuse to drop without --yes, drop; and what
// create-admin refuses.
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { describe, it } = require('./suites');

const driver = require('../src/db/driver');
const { PASSWORD, serverUrl, skipReason } = require('./support');

const ADMIN = 'ops-admin@example.com';

/** The URL of a database that does not exist yet. */
function scratchUrl() {
  const name = `test_${crypto.randomBytes(6).toString('hex')}`;
  if (driver.server) return driver.siblingUrl(serverUrl(), name);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'test-manage-'));
  return `sqlite:///${path.join(folder, 'data', `${name}.db`)}`;
}

/**
 * Run one command of scripts/manage.js, with no terminal to ask in.
 * @param {string} url
 * @param {string[]} args
 * @param {Record<string, string>} [extra] more environment
 */
function manage(url, args, extra = {}) {
  return spawnSync(process.execPath, ['scripts/manage.js', ...args], {
    cwd: path.resolve(__dirname, '..'),
    env: {
      ...process.env,
      DATABASE_URL: url,
      SECRET_KEY: 'a-test-secret-key-that-is-long-enough-for-production-checks',
      ENVIRONMENT: 'development',
      FIRST_ADMIN_EMAIL: ADMIN,
      FIRST_ADMIN_PASSWORD: PASSWORD,
      ADMIN_PASSWORD: '',
      ...extra,
    },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * @param {ReturnType<typeof manage>} done
 * @param {number} status
 * @param {string} line the last line it printed (stdout on success, stderr otherwise)
 */
function answered(done, status, line) {
  assert.equal(done.status, status, done.stdout + done.stderr);
  const printed = (status === 0 ? done.stdout : done.stderr).trim().split('\n');
  assert.equal(printed[printed.length - 1], line);
}

describe('scripts/manage.js', { skip: skipReason() }, () => {
  it('creates, migrates, makes the admin and drops only when confirmed', () => {
    const url = scratchUrl();
    try {
      answered(manage(url, ['create-database']), 0, 'database created');
      assert.match(manage(url, ['migrate']).stdout, /^batch 1: /);
      answered(manage(url, ['migrate']), 0, 'database is up to date');
      answered(manage(url, ['create-database']), 0, 'database exists');
      answered(manage(url, ['create-admin']), 0, `admin ready: ${ADMIN}`);
      answered(manage(url, ['create-admin']), 0, `admin ready: ${ADMIN}`);
      answered(
        manage(url, ['drop-database']),
        2,
        'drop-database: add --yes to drop the database and all its data',
      );
      const usage =
        'usage: manage.js create-database|drop-database --yes|migrate|rollback|create-admin';
      answered(manage(url, ['nonsense']), 2, usage);
      assert.match(manage(url, ['rollback', '--all']).stdout, /^rolled back: /);
      answered(manage(url, ['rollback']), 0, 'nothing to roll back');
    } finally {
      answered(manage(url, ['drop-database', '--yes']), 0, 'database dropped');
    }
    answered(manage(url, ['create-database']), 0, 'database created');
    answered(manage(url, ['drop-database', '--yes']), 0, 'database dropped');
  });

  it('refuses an admin without an email, a password, or with a short one', () => {
    const url = scratchUrl();
    try {
      answered(manage(url, ['create-database']), 0, 'database created');
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
      for (const [extra, refusal] of refusals) {
        answered(manage(url, ['create-admin'], extra), 2, refusal);
      }
    } finally {
      manage(url, ['drop-database', '--yes']);
    }
  });
});
