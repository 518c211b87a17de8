'use strict';
/** GET /tasks by cursor: every sort walks every task once, in the offset order. */
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { signUp, skipReason, startApp } = require('./support');

const SORTS = [
  'created_at',
  '-created_at',
  'updated_at',
  '-updated_at',
  'title',
  '-title',
  'priority',
  '-priority',
  'due_date',
  '-due_date',
];

/** @param {unknown} value */
function b64(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('tasks by cursor', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  /**
   * @param {import('./support').Account} account
   * @param {Record<string, string | number>} query
   */
  async function list(account, query) {
    const response = await ctx.http().get('/tasks').query(query).set(account.headers);
    assert.equal(response.status, 200, response.text);
    return response.body;
  }

  /**
   * Seven tasks with ties on every key, some without a due date; one changed later.
   * @param {import('./support').Account} account
   */
  async function seed(account) {
    const rows = [
      ['b', 'low', '2030-01-02'],
      ['a', 'high', null],
      ['b', 'medium', '2030-01-01'],
      ['c', 'high', '2030-01-02'],
      ['a', 'low', null],
      ['b', 'high', '2030-01-01'],
      ['a', 'medium', '2030-01-03'],
    ];
    const ids = [];
    for (const [title, priority, due] of rows) {
      const response = await ctx
        .http()
        .post('/tasks')
        .send({ title, priority, due_date: due })
        .set(account.headers);
      assert.equal(response.status, 201, response.text);
      ids.push(response.body.id);
    }
    await ctx.http().patch(`/tasks/${ids[3]}`).send({ status: 'done' }).set(account.headers);
  }

  /**
   * @param {import('./support').Account} account
   * @param {Record<string, string | number>} query
   */
  async function walk(account, query) {
    const ids = [];
    let page = await list(account, { limit: 2, ...query });
    for (;;) {
      ids.push(...page.items.map((/** @type {any} */ task) => task.id));
      if (page.next_cursor === null) return ids;
      assert.ok(ids.length < 20, 'the cursor does not move');
      page = await list(account, { limit: 2, cursor: page.next_cursor, ...query });
    }
  }

  it('walks every sort as offset pages do', async () => {
    const user = await signUp(ctx.app);
    await seed(user);
    for (const sort of SORTS) {
      const everything = await list(user, { sort });
      assert.equal(everything.next_cursor, null);
      assert.equal(everything.total, 7);
      const expected = everything.items.map((/** @type {any} */ task) => task.id);
      assert.deepEqual(await walk(user, { sort }), expected, sort);
    }
  });

  it('keeps the filters, and an offset page has the cursor of the next', async () => {
    const user = await signUp(ctx.app);
    await seed(user);
    const high = await list(user, { priority: 'high' });
    const todo = high.items.filter((/** @type {any} */ t) => t.status === 'todo');
    assert.deepEqual(
      await walk(user, { priority: 'high', status: 'todo' }),
      todo.map((/** @type {any} */ t) => t.id),
    );
    const first = await list(user, { limit: 3 });
    const byOffset = await list(user, { limit: 3, offset: 3 });
    const next = await list(user, { limit: 3, cursor: first.next_cursor });
    assert.deepEqual(next.items, byOffset.items);
    assert.equal(next.offset, 0);
    await ctx.http().delete(`/tasks/${first.items[2].id}`).set(user.headers);
    const rest = await list(user, { limit: 10, cursor: first.next_cursor });
    assert.equal(rest.items.length, 4);
    assert.equal(rest.next_cursor, null);
  });

  it('answers a bad cursor with a 422', async () => {
    const user = await signUp(ctx.app);
    await seed(user);
    const when = '2030-01-01T00:00:00.000Z';
    for (const query of [
      { cursor: 'not a cursor' },
      { cursor: '%%%' },
      { cursor: b64({ a: 1 }) },
      { cursor: b64(['-created_at', 'yesterday', 1]) },
      { cursor: b64(['-created_at', when, '1']) },
      { cursor: b64(['-created_at', when, 0]) },
      { cursor: b64(['-created_at', when, 2 ** 70]) },
      { cursor: b64(['title', 'a', 1]) },
      { cursor: b64(['priority', 1, 0, 1]), sort: 'priority' },
      { cursor: b64(['due_date', false, 3, 1]), sort: 'due_date' },
      { cursor: 'x'.repeat(2000) },
      { cursor: b64(['-created_at', when, 1]), offset: 0 },
    ]) {
      const response = await ctx.http().get('/tasks').query(query).set(user.headers);
      assert.equal(response.status, 422, `${JSON.stringify(query)}: ${response.text}`);
      assert.ok('detail' in response.body);
    }
  });
});
