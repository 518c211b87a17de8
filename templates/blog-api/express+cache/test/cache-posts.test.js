'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { after, before, describe, it } = require('./suites');

const { makeAuthor, writePost } = require('./blog');
const {
  cacheStates,
  describeCachedCluster,
  onServer,
  readOn,
  startCachedApp,
} = require('./cache-support');
const { redisSkipReason } = require('./redis-support');
const { makeAdmin } = require('./support');

describe('cached posts and tags', { skip: redisSkipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startCachedApp>>} */
  let ctx;
  before(async () => {
    ctx = await startCachedApp();
  });
  after(() => ctx.close());

  it('misses once, then hits with the same body, per query string', async () => {
    const author = await makeAuthor(ctx);
    await writePost(ctx.app, author, {
      title: 'Cached',
      body: 'b',
      status: 'published',
      tags: ['c'],
    });
    for (const path of ['/posts', '/posts?limit=5&offset=0', '/tags']) {
      const first = await ctx.http().get(path);
      assert.equal(first.status, 200, first.text);
      assert.equal(first.headers['x-cache'], 'miss', path);
      const second = await ctx.http().get(path);
      assert.equal(second.headers['x-cache'], 'hit', path);
      assert.equal(second.text, first.text);
      assert.match(second.headers['content-type'], /^application\/json/);
    }
    // The same query in another order is the same answer.
    const reordered = await ctx.http().get('/posts?offset=0&limit=5');
    assert.equal(reordered.headers['x-cache'], 'hit');
  });

  it('never answers a caller with what another may see', async () => {
    const admin = await makeAdmin(ctx);
    const author = await makeAuthor(ctx, admin);
    const other = await makeAuthor(ctx, admin);
    const draft = await writePost(ctx.app, author, { title: 'Secret', body: 'b', tags: [] });
    /** @param {{Authorization: string} | null} headers */
    const drafts = async (headers) => {
      const call = ctx.http().get('/posts?status=draft');
      const response = await (headers ? call.set(headers) : call);
      assert.equal(response.status, 200, response.text);
      return response.body.items.map((/** @type {{slug: string}} */ post) => post.slug);
    };
    for (let round = 0; round < 2; round += 1) {
      assert.ok((await drafts(author.headers)).includes(draft.slug));
      assert.ok((await drafts(admin.headers)).includes(draft.slug));
      assert.ok(!(await drafts(other.headers)).includes(draft.slug));
      assert.ok(!(await drafts(null)).includes(draft.slug));
    }
    // The same user with another role is another scope.
    const demoted = await ctx
      .http()
      .patch(`/users/${other.id}`)
      .send({ role: 'reader' })
      .set(admin.headers);
    assert.equal(demoted.status, 200, demoted.text);
    const again = await ctx.http().get('/posts?status=draft').set(other.headers);
    assert.equal(again.headers['x-cache'], 'miss');
  });
});

describeCachedCluster('cached posts over the workers of node:cluster', (server) => {
  it('shows each write on the next read, whichever worker answers', async () => {
    const { port, admin } = server();
    const title = `Post ${crypto.randomBytes(4).toString('hex')}`;
    const made = await onServer(port, 'post', '/posts', admin).send({
      title,
      body: 'b',
      status: 'published',
      tags: ['first'],
    });
    assert.equal(made.status, 201, made.text);
    /** @param {string} path */
    const read = (path) => readOn(port, path);
    assert.deepEqual(await cacheStates(() => read('/posts')), ['miss', 'hit', 'hit', 'hit']);
    assert.deepEqual((await read('/tags')).body.items, [{ name: 'first', post_count: 1 }]);

    const changed = await onServer(port, 'patch', `/posts/${made.body.slug}`, admin).send({
      title: `${title} again`,
      tags: ['second'],
    });
    assert.equal(changed.status, 200, changed.text);
    const after = await read('/posts');
    assert.equal(after.headers['x-cache'], 'miss');
    assert.equal(after.body.items[0].title, `${title} again`);
    assert.deepEqual((await read('/tags')).body.items, [{ name: 'second', post_count: 1 }]);

    const gone = await onServer(port, 'delete', `/posts/${made.body.slug}`, admin);
    assert.equal(gone.status, 204);
    assert.deepEqual((await read('/posts')).body.items, []);
    assert.deepEqual((await read('/tags')).body.items, []);
  });
});
