'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { errorFields, makeAdmin, signUp, skipReason, startApp } = require('./support');

describe('projects', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  /**
   * @param {import('./support').Account} account
   * @param {string} name
   */
  async function project(account, name) {
    const response = await ctx.http().post('/projects').send({ name }).set(account.headers);
    assert.equal(response.status, 201, response.text);
    return response.body;
  }

  it('creates, reads, renames and validates', async () => {
    const user = await signUp(ctx.app);
    const created = await project(user, 'Garden');
    assert.equal(created.task_count, 0);
    const url = `/projects/${created.id}`;
    assert.deepEqual((await ctx.http().get(url).set(user.headers)).body, created);
    const renamed = await ctx
      .http()
      .patch(url)
      .send({ name: 'Yard', description: null })
      .set(user.headers);
    assert.equal(renamed.body.name, 'Yard');
    const cleared = await ctx.http().patch(url).send({ name: null }).set(user.headers);
    assert.deepEqual(errorFields(cleared, 422), new Set(['name']));
    const long = await ctx
      .http()
      .post('/projects')
      .send({ name: 'x'.repeat(101) })
      .set(user.headers);
    assert.deepEqual(errorFields(long, 422), new Set(['name']));
  });

  it('keeps names unique per owner, case-sensitively', async () => {
    const user = await signUp(ctx.app);
    const other = await signUp(ctx.app);
    await project(user, 'Home');
    errorFields(await ctx.http().post('/projects').send({ name: 'Home' }).set(user.headers), 409);
    await project(user, 'home');
    await project(other, 'Home');
    const work = await project(user, 'Work');
    const clash = await ctx
      .http()
      .patch(`/projects/${work.id}`)
      .send({ name: 'Home' })
      .set(user.headers);
    errorFields(clash, 409);
  });

  it("hides other users' projects, shows all to admins, sorts by name with counts", async () => {
    const user = await signUp(ctx.app);
    const other = await signUp(ctx.app);
    const admin = await makeAdmin(ctx);
    for (const name of ['charlie', 'alpha', 'bravo']) await project(user, name);
    const listed = (await ctx.http().get('/projects').set(user.headers)).body;
    const bravo = listed.items[1];
    assert.deepEqual(
      listed.items.map((/** @type {any} */ p) => p.name),
      ['alpha', 'bravo', 'charlie'],
    );
    errorFields(await ctx.http().get(`/projects/${bravo.id}`).set(other.headers), 404);
    assert.equal((await ctx.http().get(`/projects/${bravo.id}`).set(admin.headers)).status, 200);
    const task = await ctx
      .http()
      .post('/tasks')
      .send({ title: 'kept', project_id: bravo.id })
      .set(user.headers);
    const counted = await ctx.http().get(`/projects/${bravo.id}`).set(user.headers);
    assert.equal(counted.body.task_count, 1);
    assert.equal((await ctx.http().delete(`/projects/${bravo.id}`).set(user.headers)).status, 204);
    const kept = await ctx.http().get(`/tasks/${task.body.id}`).set(user.headers);
    assert.equal(kept.body.project_id, null);
  });
});
