'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { errorFields, makeAdmin, signUp, skipReason, startApp } = require('./support');

describe('assignment and projects of tasks', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  /**
   * @param {import('./support').Account} account
   * @param {string} path
   * @param {Record<string, unknown>} body
   */
  async function post(account, path, body) {
    const response = await ctx.http().post(path).send(body).set(account.headers);
    assert.equal(response.status, 201, response.text);
    return response.body;
  }

  it('lets the assignee see the task and change its status only', async () => {
    const owner = await signUp(ctx.app);
    const assignee = await signUp(ctx.app);
    const task = await post(owner, '/tasks', { title: 'shared', assignee_id: assignee.id });
    const url = `/tasks/${task.id}`;
    assert.equal((await ctx.http().get(url).set(assignee.headers)).status, 200);
    const moved = await ctx.http().patch(url).send({ status: 'done' }).set(assignee.headers);
    assert.equal(moved.body.status, 'done');
    for (const payload of [{ title: 'mine' }, { status: 'todo', priority: 'high' }]) {
      errorFields(await ctx.http().patch(url).send(payload).set(assignee.headers), 403);
    }
    errorFields(await ctx.http().delete(url).set(assignee.headers), 403);
    const unassigned = await ctx.http().patch(url).send({ assignee_id: null }).set(owner.headers);
    assert.equal(unassigned.body.assignee_id, null);
    errorFields(await ctx.http().get(url).set(assignee.headers), 404);
  });

  it("keeps a task in its owner's projects, and assignees active", async () => {
    const owner = await signUp(ctx.app);
    const other = await signUp(ctx.app);
    const admin = await makeAdmin(ctx);
    const theirs = await post(other, '/projects', { name: 'Theirs' });
    const mine = await post(owner, '/projects', { name: 'Mine' });
    const response = await ctx
      .http()
      .post('/tasks')
      .send({ title: 'x', project_id: theirs.id })
      .set(owner.headers);
    assert.deepEqual(errorFields(response, 422), new Set(['project_id']));
    const task = await post(owner, '/tasks', { title: 'x', project_id: mine.id });
    const byAdmin = await ctx
      .http()
      .patch(`/tasks/${task.id}`)
      .send({ project_id: theirs.id })
      .set(admin.headers);
    assert.deepEqual(errorFields(byAdmin, 422), new Set(['project_id']));
    await ctx.http().patch(`/users/${other.id}`).send({ is_active: false }).set(admin.headers);
    const disabled = await ctx
      .http()
      .post('/tasks')
      .send({ title: 'x', assignee_id: other.id })
      .set(owner.headers);
    assert.deepEqual(errorFields(disabled, 422), new Set(['assignee_id']));
  });

  it('lists by scope', async () => {
    const me = await signUp(ctx.app);
    const other = await signUp(ctx.app);
    await post(me, '/tasks', { title: 'mine' });
    await post(other, '/tasks', { title: 'theirs, mine', assignee_id: me.id });
    /** @param {string} scope */
    const scoped = async (scope) =>
      (
        await ctx.http().get('/tasks').query({ scope, sort: 'title' }).set(me.headers)
      ).body.items.map((/** @type {any} */ task) => task.title);
    assert.deepEqual(await scoped('all'), ['mine', 'theirs, mine']);
    assert.deepEqual(await scoped('owned'), ['mine']);
    assert.deepEqual(await scoped('assigned'), ['theirs, mine']);
  });

  it('counts each visible task once in the total', async () => {
    // A user's total is counted as the tasks they own plus those assigned to them that
    // they do not own (docs/pagination.md of the toolkit): a task they own and are
    // assigned counts once, with or without a filter.
    const me = await signUp(ctx.app);
    const other = await signUp(ctx.app);
    await post(me, '/tasks', { title: 'mine' });
    await post(me, '/tasks', { title: 'mine, mine', assignee_id: me.id, priority: 'low' });
    await post(me, '/tasks', { title: 'mine, theirs', assignee_id: other.id });
    await post(other, '/tasks', { title: 'theirs, mine', assignee_id: me.id, priority: 'low' });
    await post(other, '/tasks', { title: 'theirs', priority: 'low' });
    /** @param {Record<string, string>} query */
    const total = async (query) => {
      const response = await ctx.http().get('/tasks').query(query).set(me.headers);
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.total, response.body.items.length);
      return response.body.total;
    };
    assert.equal(await total({}), 4);
    assert.equal(await total({ scope: 'owned' }), 3);
    assert.equal(await total({ scope: 'assigned' }), 2);
    assert.equal(await total({ priority: 'low' }), 2);
    assert.equal(await total({ priority: 'low', status: 'todo', scope: 'assigned' }), 2);
    assert.equal(await total({ priority: 'high' }), 0);
  });
});
