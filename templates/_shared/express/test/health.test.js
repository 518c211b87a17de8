'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const request = require('supertest');
const express = require('express');

const { buildApp } = require('../src/app');
const { errorHandler } = require('../src/http/errors');
const { collectingLogger, errorFields, makeAdmin, skipReason, startApp } = require('./support');

describe('service', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  it('answers /health without asking the database', async () => {
    const response = await ctx.http().get('/health');
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { status: 'ok' });
  });

  it('is ready on a migrated database, not ready while a migration is pending', async () => {
    const ready = await ctx.http().get('/ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { status: 'ok', database: 'ok', migrations: 'ok' });
    // Forget the newest migration was applied (no DDL), then remember it again.
    const newest = await ctx.db('knex_migrations').orderBy('id', 'desc').first();
    await ctx.db('knex_migrations').where({ id: newest.id }).del();
    try {
      const pending = await ctx.http().get('/ready');
      assert.equal(pending.status, 503);
      assert.deepEqual(pending.body, {
        status: 'unavailable',
        database: 'ok',
        migrations: 'pending',
      });
    } finally {
      await ctx.db('knex_migrations').insert(newest);
    }
  });

  it('is not ready while the database does not answer', async () => {
    const down = /** @type {any} */ ({
      raw: () => Promise.reject(new Error('connection refused')),
    });
    const app = buildApp({ db: down, settings: ctx.settings });
    const response = await request(app).get('/ready');
    assert.equal(response.status, 503);
    assert.deepEqual(response.body, {
      status: 'unavailable',
      database: 'error',
      migrations: 'unknown',
    });
    assert.equal((await request(app).get('/health')).status, 200);
  });

  it('answers 503, not 500, when the database cannot be reached', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    // A SQLite file gone: knex puts the query before the driver's message.
    const noTable = Object.assign(new Error('select * from `users` - no such table: users'), {
      code: 'SQLITE_ERROR',
    });
    const bug = new Error('a bug');
    const { logger, lines } = collectingLogger();
    /** @param {Error} error */
    const answer = (error) =>
      request(
        express()
          .get('/x', (_req, _res, next) => next(error))
          .use(errorHandler(logger)),
      ).get('/x');
    const unavailable = { detail: 'Service unavailable: the database cannot be reached' };
    for (const error of [refused, noTable]) {
      const response = await answer(error);
      assert.equal(response.status, 503);
      assert.deepEqual(response.body, unavailable);
    }
    assert.equal((await answer(bug)).status, 500);
    // Each logged for the operator: two outages, then the bug.
    const logged = lines.map((line) => JSON.parse(line).message);
    assert.equal(logged.length, 3);
    assert.match(logged[0], /^database unavailable: connect ECONNREFUSED/);
    assert.equal(logged[2], 'unhandled error');
  });

  it('serves an OpenAPI document of every route', async () => {
    const response = await ctx.http().get('/openapi.json');
    assert.equal(response.status, 200);
    assert.match(response.body.openapi, /^3\./);
    assert.ok(response.body.paths['/users/{user_id}'].patch.summary);
    assert.ok(response.body.paths['/users/{user_id}'].patch.requestBody);
  });

  it('answers unknown routes, wrong methods and trailing slashes with JSON errors', async () => {
    errorFields(await ctx.http().get('/no-such-route'), 404);
    const wrong = await ctx.http().delete('/users/me');
    errorFields(wrong, 405);
    assert.equal(wrong.headers.allow, 'GET, OPTIONS');
    errorFields(await ctx.http().get('/health/'), 404);
  });

  it('answers OPTIONS with the documented methods of the path', async () => {
    const { paths } = (await ctx.http().get('/openapi.json')).body;
    const order = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
    for (const [path, template] of [
      ['/health', '/health'],
      ['/users/me', '/users/me'],
      ['/users/1', '/users/{user_id}'],
    ]) {
      const response = await ctx.http().options(path);
      assert.equal(response.status, 204, path);
      const documented = order.filter((method) => method.toLowerCase() in paths[template]);
      assert.equal(response.headers.allow, [...documented, 'OPTIONS'].join(', '), path);
    }
  });

  it('answers malformed JSON and non-object bodies with 422', async () => {
    const admin = await makeAdmin(ctx);
    const self = () => ctx.http().patch(`/users/${admin.id}`).set(admin.headers);
    const broken = await self().set('Content-Type', 'application/json').send('{"role": ');
    assert.deepEqual([...errorFields(broken, 422)], ['body']);
    errorFields(await self().send(['not', 'an', 'object']), 422);
  });
});
