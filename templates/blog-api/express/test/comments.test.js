'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { makeAuthor, writePost } = require('./blog');
const { errorFields, makeAdmin, signUp, skipReason, startApp } = require('./support');

describe('comments', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  /** @type {import('./support').Account} */
  let admin;
  /** @type {import('./support').Account} */
  let author;
  before(async () => {
    ctx = await startApp();
    admin = await makeAdmin(ctx);
    author = await makeAuthor(ctx, admin);
  });
  after(() => ctx.close());

  it('lets signed-in users comment on published posts, oldest first', async () => {
    const reader = await signUp(ctx.app, 'reader');
    const other = await signUp(ctx.app, 'other');
    const post = await writePost(ctx.app, author, { title: 'Open', status: 'published' });
    const url = `/posts/${post.slug}/comments`;
    const first = await ctx.http().post(url).send({ body: 'First!' }).set(reader.headers);
    assert.equal(first.status, 201, first.text);
    assert.deepEqual(
      [first.body.body, first.body.post_id, first.body.author_id],
      ['First!', post.id, reader.id],
    );
    const second = await ctx.http().post(url).send({ body: 'Second' }).set(other.headers);
    const page = await ctx.http().get(url);
    assert.deepEqual(page.body.items, [first.body, second.body]);
    assert.equal(page.body.total, 2);

    errorFields(await ctx.http().post(url).send({ body: 'x' }), 401);
    errorFields(await ctx.http().delete(`${url}/${first.body.id}`).set(other.headers), 403);
    errorFields(await ctx.http().delete(`${url}/${first.body.id}`).set(author.headers), 403);
    assert.equal(
      (await ctx.http().delete(`${url}/${first.body.id}`).set(reader.headers)).status,
      204,
    );
    assert.equal(
      (await ctx.http().delete(`${url}/${second.body.id}`).set(admin.headers)).status,
      204,
    );
    errorFields(await ctx.http().delete(`${url}/${second.body.id}`).set(admin.headers), 404);
    errorFields(await ctx.http().delete(`${url}/abc`).set(admin.headers), 404);
    assert.equal((await ctx.http().get(url)).body.total, 0);
  });

  it('hides drafts and refuses comments on them', async () => {
    const reader = await signUp(ctx.app, 'reader');
    const draft = await writePost(ctx.app, author, { title: 'Closed' });
    const url = `/posts/${draft.slug}/comments`;
    errorFields(await ctx.http().post(url).send({ body: 'Hi' }).set(reader.headers), 404);
    errorFields(await ctx.http().get(url), 404);
    errorFields(await ctx.http().post(url).send({ body: 'Hi' }).set(author.headers), 409);
  });

  it('validates comments and goes with its post', async () => {
    const reader = await signUp(ctx.app, 'reader');
    const post = await writePost(ctx.app, author, { title: 'Checked', status: 'published' });
    const url = `/posts/${post.slug}/comments`;
    for (const payload of [{}, { body: '' }, { body: 'x'.repeat(5001) }, { body: 'ok', x: 1 }]) {
      const response = await ctx.http().post(url).send(payload).set(reader.headers);
      assert.ok(errorFields(response, 422).size >= 1);
    }
    await ctx.http().post(url).send({ body: 'kept?' }).set(reader.headers);
    assert.equal((await ctx.http().delete(`/posts/${post.slug}`).set(author.headers)).status, 204);
    const left = await ctx.db('comments').where({ post_id: post.id }).count({ n: '*' }).first();
    assert.equal(Number(left?.n), 0);
  });
});
