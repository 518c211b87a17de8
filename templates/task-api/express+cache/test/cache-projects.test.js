'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const {
  cacheStates,
  describeCachedCluster,
  onServer,
  readOn,
  startCachedApp,
} = require('./cache-support');
const { redisSkipReason } = require('./redis-support');
const { makeAdmin, signUp } = require('./support');

describe('cached lists of projects', { skip: redisSkipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startCachedApp>>} */
  let ctx;
  before(async () => {
    ctx = await startCachedApp();
  });
  after(() => ctx.close());

  /**
   * @param {{Authorization: string}} headers
   * @param {string} [query]
   */
  async function projects(headers, query = '') {
    const response = await ctx.http().get(`/projects${query}`).set(headers);
    assert.equal(response.status, 200, response.text);
    return response;
  }

  /** @param {import('supertest').Response} response */
  const names = (response) =>
    response.body.items.map((/** @type {{name: string}} */ project) => project.name);

  it('keeps each user to their own projects, hit after miss', async () => {
    const [alice, bob] = [await signUp(ctx.app, 'alice'), await signUp(ctx.app, 'bob')];
    const admin = await makeAdmin(ctx);
    const made = await ctx.http().post('/projects').send({ name: 'Alice' }).set(alice.headers);
    assert.equal(made.status, 201, made.text);
    for (const expected of ['miss', 'hit']) {
      const own = await projects(alice.headers);
      assert.equal(own.headers['x-cache'], expected);
      assert.deepEqual(names(own), ['Alice']);
      const other = await projects(bob.headers);
      assert.equal(other.headers['x-cache'], expected);
      assert.deepEqual(names(other), []);
      assert.ok(names(await projects(admin.headers)).includes('Alice'));
    }
    const reordered = await projects(alice.headers, '?offset=0&limit=5');
    assert.equal(reordered.headers['x-cache'], 'miss');
    assert.equal((await projects(alice.headers, '?limit=5&offset=0')).headers['x-cache'], 'hit');
  });

  it("shows a task's count at once", async () => {
    const user = await signUp(ctx.app);
    const made = await ctx.http().post('/projects').send({ name: 'Counted' }).set(user.headers);
    assert.equal((await projects(user.headers)).body.items[0].task_count, 0);
    const task = await ctx
      .http()
      .post('/tasks')
      .send({ title: 'One', project_id: made.body.id })
      .set(user.headers);
    assert.equal(task.status, 201, task.text);
    const after = await projects(user.headers);
    assert.equal(after.headers['x-cache'], 'miss');
    assert.equal(after.body.items[0].task_count, 1);
    await ctx.http().delete(`/tasks/${task.body.id}`).set(user.headers).expect(204);
    assert.equal((await projects(user.headers)).body.items[0].task_count, 0);
  });
});

describeCachedCluster('cached projects over the workers of node:cluster', (server) => {
  it('shows each write on the next read, whichever worker answers', async () => {
    const { port, admin } = server();
    const read = () => readOn(port, '/projects', admin);
    const made = await onServer(port, 'post', '/projects', admin).send({ name: 'First' });
    assert.equal(made.status, 201, made.text);
    assert.deepEqual(await cacheStates(read), ['miss', 'hit', 'hit', 'hit']);
    const renamed = await onServer(port, 'patch', `/projects/${made.body.id}`, admin).send({
      name: 'Second',
    });
    assert.equal(renamed.status, 200, renamed.text);
    const after = await read();
    assert.equal(after.headers['x-cache'], 'miss');
    assert.equal(after.body.items[0].name, 'Second');
    const gone = await onServer(port, 'delete', `/projects/${made.body.id}`, admin);
    assert.equal(gone.status, 204);
    assert.deepEqual((await read()).body.items, []);
  });
});
