'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { errorFields, makeAdmin, signUp, skipReason, startApp } = require('./support');

describe('comments', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  it('lets whoever sees the task comment, oldest first, and the author or an admin delete', async () => {
    const owner = await signUp(ctx.app);
    const assignee = await signUp(ctx.app);
    const stranger = await signUp(ctx.app);
    const admin = await makeAdmin(ctx);
    const task = await ctx
      .http()
      .post('/tasks')
      .send({ title: 'talk', assignee_id: assignee.id })
      .set(owner.headers);
    const url = `/tasks/${task.body.id}/comments`;
    const ids = [];
    for (const [account, body] of [
      [owner, 'first'],
      [assignee, 'second'],
      [admin, 'third'],
    ]) {
      const response = await ctx
        .http()
        .post(url)
        .send({ body })
        .set(/** @type {any} */ (account).headers);
      assert.equal(response.status, 201, response.text);
      ids.push(response.body.id);
    }
    const page = await ctx.http().get(url).query({ limit: 2, offset: 1 }).set(assignee.headers);
    assert.deepEqual(
      page.body.items.map((/** @type {any} */ c) => c.body),
      ['second', 'third'],
    );
    assert.equal(page.body.total, 3);
    errorFields(await ctx.http().get(url).set(stranger.headers), 404);
    errorFields(await ctx.http().post(url).send({ body: '' }).set(owner.headers), 422);
    errorFields(await ctx.http().delete(`${url}/${ids[1]}`).set(owner.headers), 403);
    assert.equal((await ctx.http().delete(`${url}/${ids[1]}`).set(admin.headers)).status, 204);
    errorFields(await ctx.http().delete(`${url}/${ids[1]}`).set(owner.headers), 404);
    const removed = await ctx.http().delete(`/tasks/${task.body.id}`).set(owner.headers);
    assert.equal(removed.status, 204);
    const count = await ctx.db('comments').where({ task_id: task.body.id }).count({ n: '*' });
    assert.equal(Number(count[0].n), 0);
  });
});
