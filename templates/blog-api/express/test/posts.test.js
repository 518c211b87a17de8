'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { slugify } = require('../src/services/posts');
const { makeAuthor, slugs, writePost } = require('./blog');
const { errorFields, makeAdmin, signUp, skipReason, startApp } = require('./support');

describe('slugify', () => {
  it('makes lowercase ASCII slugs from titles', () => {
    assert.equal(slugify('Héllo, World!'), 'hello-world');
    assert.equal(slugify('  --Déjà vu--  '), 'deja-vu');
    assert.equal(slugify('日本語'), 'post');
    assert.equal(slugify(`${'a'.repeat(199)} b`).length, 199);
  });
});

describe('posts', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  /** @type {import('./support').Account} */
  let admin;
  /** @type {import('./support').Account} */
  let author;
  /** @type {import('./support').Account} */
  let reader;
  before(async () => {
    ctx = await startApp();
    admin = await makeAdmin(ctx);
    author = await makeAuthor(ctx, admin);
    reader = await signUp(ctx.app, 'reader');
  });
  after(() => ctx.close());

  it('starts posts as drafts with a slug, normalized tags and timestamps', async () => {
    const post = await writePost(ctx.app, author, {
      title: 'Hello World',
      body: 'Body',
      tags: ['Node', ' tests ', 'node'],
    });
    assert.equal(post.slug, 'hello-world');
    assert.equal(post.status, 'draft');
    assert.equal(post.published_at, null);
    assert.deepEqual(post.tags, ['node', 'tests']);
    assert.equal(post.author_id, author.id);
    assert.ok(post.created_at.endsWith('Z'));
  });

  it('gives a second post with the same title the next free slug, kept on rename', async () => {
    const first = await writePost(ctx.app, author, { title: 'Same Title' });
    const second = await writePost(ctx.app, author, { title: 'Same title!' });
    const third = await writePost(ctx.app, author, { title: 'same-title' });
    assert.deepEqual(
      [first.slug, second.slug, third.slug],
      ['same-title', 'same-title-2', 'same-title-3'],
    );
    const renamed = await ctx
      .http()
      .patch(`/posts/${first.slug}`)
      .send({ title: 'Another' })
      .set(author.headers);
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.slug, 'same-title');
    assert.equal(renamed.body.title, 'Another');
  });

  it('keeps drafts to their author and admins, and lets only writers write', async () => {
    const other = await makeAuthor(ctx, admin);
    const draft = await writePost(ctx.app, author, { title: 'Secret draft' });
    const url = `/posts/${draft.slug}`;
    errorFields(await ctx.http().get(url), 404);
    errorFields(await ctx.http().get(url).set(reader.headers), 404);
    errorFields(await ctx.http().get(url).set(other.headers), 404);
    errorFields(await ctx.http().get(url).set({ Authorization: 'Bearer nonsense' }), 401);
    assert.equal((await ctx.http().get(url).set(author.headers)).status, 200);
    assert.equal((await ctx.http().get(url).set(admin.headers)).status, 200);
    errorFields(await ctx.http().patch(url).send({ title: 'x' }).set(other.headers), 404);

    const published = await ctx.http().patch(url).send({ status: 'published' }).set(author.headers);
    assert.equal(published.status, 200);
    assert.ok(published.body.published_at.endsWith('Z'));
    assert.deepEqual((await ctx.http().get(url)).body, published.body);
    errorFields(await ctx.http().patch(url).send({ title: 'x' }).set(other.headers), 403);
    errorFields(await ctx.http().delete(url).set(reader.headers), 403);

    // Unpublishing and publishing again keeps the first publication time.
    await ctx.http().patch(url).send({ status: 'draft' }).set(author.headers);
    const again = await ctx.http().patch(url).send({ status: 'published' }).set(admin.headers);
    assert.equal(again.body.published_at, published.body.published_at);

    errorFields(await ctx.http().post('/posts').send({ title: 'x' }).set(reader.headers), 403);
    errorFields(await ctx.http().post('/posts').send({ title: 'x' }), 401);
    assert.equal((await ctx.http().delete(url).set(admin.headers)).status, 204);
    errorFields(await ctx.http().get(url).set(admin.headers), 404);
  });

  it('validates posts field by field', async () => {
    const cases = [
      [{}, 'title'],
      [{ title: '' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ title: 'ok', body: 'x'.repeat(100_001) }, 'body'],
      [{ title: 'ok', status: 'archived' }, 'status'],
      [{ title: 'ok', tags: Array.from({ length: 11 }, (_, n) => `t${n}`) }, 'tags'],
      [{ title: 'ok', tags: ['not valid'] }, 'tags.0'],
      [{ title: 'ok', slug: 'chosen' }, 'slug'],
      [{ title: 'nul\u0000' }, 'title'],
    ];
    for (const [payload, field] of cases) {
      const response = await ctx.http().post('/posts').send(payload).set(author.headers);
      assert.ok(errorFields(response, 422).has(String(field)), `${field}: ${response.text}`);
    }
    const post = await writePost(ctx.app, author, { title: 'Validated' });
    const nulled = await ctx
      .http()
      .patch(`/posts/${post.slug}`)
      .send({ title: null })
      .set(author.headers);
    assert.deepEqual(errorFields(nulled, 422), new Set(['title']));
    errorFields(await ctx.http().get(`/posts/${'x'.repeat(300)}`), 404);
    errorFields(await ctx.http().get('/posts/Not_A_Slug'), 404);
  });

  it('lists published posts newest first, with filters and search', async () => {
    const writer = await makeAuthor(ctx, admin);
    const mine = { author: writer.id };
    const first = await writePost(ctx.app, writer, {
      title: 'First Zebra',
      tags: ['stripes'],
      status: 'published',
    });
    const draft = await writePost(ctx.app, writer, { title: 'Zebra draft', tags: ['stripes'] });
    const second = await writePost(ctx.app, writer, {
      title: 'Second',
      body: 'about a ZEBRA',
      status: 'published',
    });
    assert.deepEqual(slugs(await ctx.http().get('/posts').query(mine)), [second.slug, first.slug]);
    const page = await ctx
      .http()
      .get('/posts')
      .query({ ...mine, limit: 1, offset: 1 });
    assert.deepEqual(
      { total: page.body.total, limit: page.body.limit, offset: page.body.offset },
      { total: 2, limit: 1, offset: 1 },
    );
    const drafts = { ...mine, status: 'draft' };
    assert.deepEqual(slugs(await ctx.http().get('/posts').query(drafts).set(writer.headers)), [
      draft.slug,
    ]);
    assert.deepEqual(slugs(await ctx.http().get('/posts').query(drafts).set(reader.headers)), []);
    assert.deepEqual(
      slugs(
        await ctx
          .http()
          .get('/posts')
          .query({ ...mine, tag: 'STRIPES' }),
      ),
      [first.slug],
    );
    assert.deepEqual(
      slugs(
        await ctx
          .http()
          .get('/posts')
          .query({ ...mine, q: 'zeBra' }),
      ),
      [second.slug, first.slug],
    );
    assert.deepEqual(slugs(await ctx.http().get('/posts').query({ q: 'zebra%' })), []);
    assert.deepEqual(slugs(await ctx.http().get('/posts').query({ q: 'zebr_' })), []);
  });

  it('refuses bad list queries', async () => {
    for (const params of [
      { limit: 101 },
      { limit: 0 },
      { offset: -1 },
      { offset: '18446744073709551616' },
      { status: 'archived' },
      { author: 'me' },
      { q: 'x'.repeat(201) },
    ]) {
      const response = await ctx.http().get('/posts').query(params);
      assert.deepEqual(errorFields(response, 422), new Set(Object.keys(params)));
    }
  });
});
