#!/usr/bin/env node
'use strict';
/**
 * Operations from the command line: node scripts/manage.js COMMAND (npm run COMMAND).
 *
 *   create-database        create the DATABASE_URL database if missing
 *   drop-database --yes    drop the DATABASE_URL database
 *   migrate                apply the migrations
 *   rollback [--all]       undo the last batch of migrations (or all of them)
 *   create-admin [--email E]  create or promote an admin (FIRST_ADMIN_EMAIL / _PASSWORD)
 */
const path = require('node:path');
const readline = require('node:readline/promises');
const { parseArgs } = require('node:util');

const { loadSettings } = require('../src/core/config');
const { connect } = require('../src/db');
const driver = require('../src/db/driver');
const users = require('../src/services/users');

/** @param {string} message */
function fail(message) {
  console.error(message);
  process.exit(2);
}

/**
 * @param {import('knex').Knex} db
 * @param {import('../src/core/config').Settings} settings
 * @param {string | undefined} email
 */
async function createAdmin(db, settings, email) {
  const address = email || settings.firstAdminEmail;
  let password = settings.firstAdminPassword || process.env.ADMIN_PASSWORD;
  if (!address) fail('create-admin: give --email or set FIRST_ADMIN_EMAIL');
  if (!password) {
    if (!process.stdin.isTTY)
      fail('create-admin: set FIRST_ADMIN_PASSWORD or run it in a terminal');
    const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
    password = await prompt.question(`Password for ${address}: `);
    prompt.close();
  }
  if (password.length < 8) fail('create-admin: the password needs at least 8 characters');
  const admin = await users.createAdmin(db, /** @type {string} */ (address), password, settings);
  console.log(`admin ready: ${admin.email}`);
}

/**
 * @param {string | undefined} command
 * @param {{yes: boolean, all: boolean, email?: string}} values
 * @param {import('../src/core/config').Settings} settings
 */
async function run(command, values, settings) {
  const url = settings.databaseUrl;
  if (command === 'create-database') {
    console.log((await driver.createDatabase(url)) ? 'database created' : 'database exists');
    return;
  }
  if (command === 'drop-database') {
    if (!values.yes) fail('drop-database: add --yes to drop the database and all its data');
    await driver.dropDatabase(url);
    console.log('database dropped');
    return;
  }
  const db = connect(url);
  try {
    if (command === 'migrate') {
      const [batch, applied] = await db.migrate.latest();
      console.log(
        applied.length ? `batch ${batch}: ${applied.join(', ')}` : 'database is up to date',
      );
    } else if (command === 'rollback') {
      const [, undone] = await db.migrate.rollback(undefined, values.all);
      console.log(undone.length ? `rolled back: ${undone.join(', ')}` : 'nothing to roll back');
    } else if (command === 'create-admin') {
      await createAdmin(db, settings, values.email);
    } else {
      fail('usage: manage.js create-database|drop-database --yes|migrate|rollback|create-admin');
    }
  } finally {
    await db.destroy();
  }
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      yes: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      email: { type: 'string' },
    },
  });
  const [command] = positionals;
  const settings = loadSettings();
  try {
    await run(command, values, settings);
  } catch (error) {
    // No server there, or one that refuses the user: say so, and what to do.
    // src/db/unreachable.js exists in server databases' projects only.
    const help = driver.server ? require(path.join(__dirname, '../src/db/unreachable')) : null;
    const message = help && help.explain(command || 'manage', settings.databaseUrl, error);
    if (!message) throw error;
    console.error(message);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message || String(error) : error);
  process.exit(1);
});
