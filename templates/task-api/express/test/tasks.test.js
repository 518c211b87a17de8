'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const {
  NOT_JSON_INTEGERS,
  errorFields,
  makeAdmin,
  rawJson,
  signUp,
  skipReason,
  startApp,
} = require('./support');

describe('tasks', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  /**
   * @param {import('./support').Account} account
   * @param {Record<string, unknown>} fields
   */
  async function create(account, fields = {}) {
    const response = await ctx
      .http()
      .post('/tasks')
      .send({ title: 'Test task', ...fields })
      .set(account.headers);
    assert.equal(response.status, 201, response.text);
    return response.body;
  }

  /**
   * @param {import('./support').Account} account
   * @param {Record<string, string | number>} query
   */
  async function titles(account, query = {}) {
    const response = await ctx.http().get('/tasks').query(query).set(account.headers);
    assert.equal(response.status, 200, response.text);
    return response.body.items.map((/** @type {any} */ task) => task.title);
  }

  it('creates and reads a task with its defaults', async () => {
    const user = await signUp(ctx.app);
    const task = await create(user, { title: 'Ship it', due_date: '2031-05-01' });
    assert.equal(task.status, 'todo');
    assert.equal(task.priority, 'medium');
    assert.equal(task.due_date, '2031-05-01');
    assert.equal(task.owner_id, user.id);
    const read = await ctx.http().get(`/tasks/${task.id}`).set(user.headers);
    assert.deepEqual(read.body, task);
  });

  it('validates every field', async () => {
    const user = await signUp(ctx.app);
    for (const [payload, field] of [
      [{}, 'title'],
      [{ title: '' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ title: 'ok', status: 'finished' }, 'status'],
      [{ title: 'ok', priority: 'urgent' }, 'priority'],
      [{ title: 'ok', due_date: 'next week' }, 'due_date'],
      [{ title: 'ok', project_id: 0 }, 'project_id'],
      [{ title: 'ok', owner_id: 1 }, 'owner_id'],
    ]) {
      const response = await ctx.http().post('/tasks').send(payload).set(user.headers);
      assert.ok(errorFields(response, 422).has(/** @type {string} */ (field)), response.text);
    }
  });

  it('hides other users tasks and shows every task to admins', async () => {
    const owner = await signUp(ctx.app);
    const stranger = await signUp(ctx.app);
    const admin = await makeAdmin(ctx);
    const task = await create(owner);
    errorFields(await ctx.http().get(`/tasks/${task.id}`).set(stranger.headers), 404);
    errorFields(await ctx.http().delete(`/tasks/${task.id}`).set(stranger.headers), 404);
    for (const id of ['abc', '0', '-1', '9'.repeat(30)]) {
      errorFields(await ctx.http().get(`/tasks/${id}`).set(owner.headers), 404);
    }
    assert.equal((await ctx.http().get(`/tasks/${task.id}`).set(admin.headers)).status, 200);
    const deleted = await ctx.http().delete(`/tasks/${task.id}`).set(owner.headers);
    assert.equal(deleted.status, 204);
  });

  it('filters, sorts and pages', async () => {
    const user = await signUp(ctx.app);
    await create(user, { title: 'a', status: 'done', priority: 'low', due_date: '2031-01-10' });
    await create(user, { title: 'b', priority: 'high', due_date: '2031-02-10' });
    await create(user, { title: 'c' });
    assert.deepEqual(await titles(user, { status: 'todo', sort: 'title' }), ['b', 'c']);
    assert.deepEqual(await titles(user, { due_before: '2031-01-31' }), ['a']);
    assert.deepEqual(await titles(user, { due_after: '2031-01-31' }), ['b']);
    assert.deepEqual(await titles(user, { sort: '-priority' }), ['b', 'c', 'a']);
    assert.deepEqual(await titles(user, { sort: 'due_date' }), ['a', 'b', 'c']);
    assert.deepEqual(await titles(user, { sort: '-due_date' }), ['b', 'a', 'c']);
    const page = await ctx
      .http()
      .get('/tasks')
      .query({ limit: 2, offset: 1, sort: 'title' })
      .set(user.headers);
    assert.deepEqual([page.body.total, page.body.limit, page.body.offset], [3, 2, 1]);
    for (const query of [{ limit: 101 }, { limit: 0 }, { offset: -1 }, { sort: 'nope' }]) {
      const response = await ctx.http().get('/tasks').query(query).set(user.headers);
      assert.deepEqual(errorFields(response, 422), new Set(Object.keys(query)));
    }
  });

  it('takes ids in a body as JSON integers only', async () => {
    const user = await signUp(ctx.app);
    for (const field of ['project_id', 'assignee_id']) {
      for (const raw of NOT_JSON_INTEGERS) {
        const response = await ctx
          .http()
          .post('/tasks')
          .set(user.headers)
          .set('Content-Type', 'application/json')
          .send(rawJson({ title: 'ok' }, field, raw));
        assert.ok(errorFields(response, 422).has(field), `${field}: ${raw}`);
      }
    }
  });
});
