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

  it('gives every post of the same title its own slug, with shared new tags', async () => {
    const account = await makeAuthor(ctx);
    const author = await users.get(ctx.db, account.id);
    const attempts = Array.from({ length: 12 }, (_, n) =>
      createPost(pools.length ? pools[n % pools.length] : ctx.db, author, {
        title: 'Race',
        body: '',
        status: 'published',
        tags: ['race', `own-${n}`],
      }).then(
        (post) => ({ post }),
        (error) => ({ error }),
      ),
    );
    const results = await Promise.all(attempts);
    const made = results.flatMap((result) => ('post' in result ? [result.post.slug] : []));
    for (const result of results) {
      if ('error' in result) assert.equal(/** @type {any} */ (result.error).status, 409);
    }
    assert.ok(made.length >= 1);
    assert.equal(new Set(made).size, made.length);
    assert.ok(made.includes('race'));
    const tags = await ctx.http().get('/tags');
    const race = tags.body.items.find((/** @type {{name: string}} */ tag) => tag.name === 'race');
    assert.equal(race.post_count, made.length);
  });
});
