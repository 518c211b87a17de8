'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { connect } = require('../src/db');
const driver = require('../src/db/driver');
const { createPost } = require('../src/services/posts');
const users = require('../src/services/users');
const { makeAuthor } = require('./blog');
const { skipReason, startApp } = require('./support');

describe('slugs under concurrent writes', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  /** @type {import('knex').Knex[]} */
  const pools = [];
  before(async () => {
    ctx = await startApp();
    // Several pools stand for several server processes writing at once. SQLite's driver
    // is synchronous: pools in one process would wait on each other's locks while
    // blocking the event loop, so there the one pool serializes the writes.
    if (driver.server) {
      for (let n = 0; n < 3; n += 1) pools.push(connect(ctx.settings.databaseUrl));
    }
  });
  after(async () => {
    await Promise.all(pools.map((pool) => pool.destroy()));
    await ctx.close();
  });

  it('gives every post of the same title the next number, with shared new tags', async () => {
    const account = await makeAuthor(ctx);
    const author = await users.get(ctx.db, account.id);
    // More writers than a write's retries: each must wait its turn for a number.
    const writers = 30;
    const made = await Promise.all(
      Array.from({ length: writers }, (_, n) =>
        createPost(pools.length ? pools[n % pools.length] : ctx.db, author, {
          title: 'Race',
          body: '',
          status: 'published',
          tags: ['race', `own-${n}`],
        }).then((post) => post.slug),
      ),
    );
    const numbered = Array.from({ length: writers - 1 }, (_, n) => `race-${n + 2}`);
    assert.deepEqual([...made].sort(), ['race', ...numbered].sort());
    const tags = await ctx.http().get('/tags').query({ limit: 100 });
    const race = tags.body.items.find((/** @type {{name: string}} */ tag) => tag.name === 'race');
    assert.equal(race.post_count, writers);
  });
});
