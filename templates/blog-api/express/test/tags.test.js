'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { makeAuthor, writePost } = require('./blog');
const { errorFields, skipReason, startApp } = require('./support');

describe('tags', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  it('counts published posts only, most used first, then by name', async () => {
    const author = await makeAuthor(ctx);
    await writePost(ctx.app, author, { title: 'a', tags: ['beta', 'alpha'], status: 'published' });
    await writePost(ctx.app, author, { title: 'b', tags: ['beta', 'gamma'], status: 'published' });
    await writePost(ctx.app, author, { title: 'c', tags: ['delta', 'gamma'] });
    const response = await ctx.http().get('/tags');
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, {
      items: [
        { name: 'beta', post_count: 2 },
        { name: 'alpha', post_count: 1 },
        { name: 'gamma', post_count: 1 },
      ],
      total: 3,
      limit: 20,
      offset: 0,
    });
    const page = await ctx.http().get('/tags').query({ limit: 1, offset: 1 });
    assert.deepEqual(page.body.items, [{ name: 'alpha', post_count: 1 }]);
    for (const params of [{ limit: 101 }, { limit: 0 }, { offset: -1 }]) {
      assert.deepEqual(
        errorFields(await ctx.http().get('/tags').query(params), 422),
        new Set(Object.keys(params)),
      );
    }
  });
});
