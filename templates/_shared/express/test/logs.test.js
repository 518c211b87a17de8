'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const express = require('express');
const request = require('supertest');

const { errorHandler } = require('../src/http/errors');
const { operations } = require('../src/http/operations');
const { collectingLogger, skipReason, startApp } = require('./support');

/**
 * The service's pieces around a route that fails as no handler expects, and its log lines.
 * @param {Partial<import('../src/core/config').Settings>} [settings]
 */
function failingApp(settings = {}) {
  const { logger, lines } = collectingLogger(settings);
  const app = express();
  app.use(operations([], logger));
  app.get('/fails', () => {
    throw new RangeError('a fault the tests planted');
  });
  app.use(errorHandler(logger));
  return { app, lines };
}

// Structured logs (core/logs.js): a JSON line per request and per error, with its id.
describe('logs', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  it('logs one JSON line per request, with the answer request id', async () => {
    ctx.logLines.length = 0;
    const response = await ctx
      .http()
      .get('/health?token=secret-value')
      .set('Authorization', 'Bearer secret-token');
    assert.equal(ctx.logLines.length, 1);
    const line = JSON.parse(ctx.logLines[0]);
    assert.equal(line.request_id, response.headers['x-request-id']);
    assert.equal(line.level, 'info');
    assert.deepEqual([line.method, line.path, line.status], ['GET', '/health', 200]);
    assert.equal(typeof line.duration_ms, 'number');
    // Neither the query string nor a header is logged.
    assert.doesNotMatch(ctx.logLines[0], /secret-value|secret-token/);
  });

  it('logs the client request id', async () => {
    ctx.logLines.length = 0;
    await ctx.http().get('/no-such-path').set('X-Request-ID', 'trace-42');
    const line = JSON.parse(ctx.logLines[0]);
    assert.deepEqual([line.request_id, line.status], ['trace-42', 404]);
  });
});

describe('logs of errors and settings', () => {
  it('logs an unhandled error with its type, traceback and request id', async () => {
    const { app, lines } = failingApp();
    const response = await request(app).get('/fails').set('X-Request-ID', 'failing-1');
    assert.equal(response.status, 500);
    const entries = lines.map((line) => JSON.parse(line));
    const [error] = entries.filter((entry) => entry.level === 'error');
    assert.equal(error.request_id, 'failing-1');
    assert.equal(error.exc_type, 'RangeError');
    assert.match(error.traceback, /a fault the tests planted/);
    const [line] = entries.filter((entry) => 'status' in entry);
    assert.deepEqual([line.request_id, line.status], ['failing-1', 500]);
  });

  it('writes plain lines with LOG_FORMAT=text', async () => {
    const { app, lines } = failingApp({ logFormat: 'text' });
    await request(app).get('/fails').set('X-Request-ID', 'plain-1');
    const text = lines.join('');
    assert.doesNotMatch(text, /^\{/m);
    assert.match(text, /ERROR \[plain-1\] unhandled error\nRangeError: a fault/);
    assert.match(text, /INFO \[plain-1\] GET \/fails 500 /);
  });

  it('filters by LOG_LEVEL, and drops request lines with ACCESS_LOG=0', async () => {
    const warning = failingApp({ logLevel: 'WARNING' });
    await request(warning.app).get('/fails');
    assert.deepEqual(
      warning.lines.map((line) => JSON.parse(line).level),
      ['error'],
    );
    const quiet = failingApp({ accessLog: false });
    await request(quiet.app).get('/missing');
    assert.deepEqual(quiet.lines, []);
  });
});
