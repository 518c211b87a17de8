'use strict';
const assert = require('node:assert/strict');
const { describe, it } = require('./suites');

const { connect } = require('../src/db');
const { freshDatabase, skipReason } = require('./support');

describe('migrations', { skip: skipReason() }, () => {
  it('upgrade from nothing, downgrade to nothing, and upgrade again', async () => {
    const database = await freshDatabase();
    const db = connect(database.url);
    try {
      await db.migrate.latest();
      assert.equal(await db.schema.hasTable('users'), true);
      const [, undone] = await db.migrate.rollback(undefined, true);
      assert.ok(undone.length >= 1);
      assert.equal(await db.schema.hasTable('users'), false);
      await db.migrate.latest();
      assert.equal(await db.schema.hasTable('users'), true);
      const [completed, pending] = await db.migrate.list();
      assert.equal(pending.length, 0);
      assert.ok(completed.length >= 1);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
