'use strict';
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { skipReason, startApp } = require('./support');

const ALLOWED = 'https://app.example.com';

// CORS_ORIGINS turns CORS on for the origins it lists, and for no other.
describe('cors', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    // Spaces and a trailing slash are fine.
    ctx = await startApp({ CORS_ORIGINS: ` ${ALLOWED}/, https://b.example` });
  });
  after(() => ctx.close());

  it('lets a listed origin call and read the request id', async () => {
    const response = await ctx.http().get('/health').set('Origin', ALLOWED);
    assert.equal(response.headers['access-control-allow-origin'], ALLOWED);
    assert.equal(response.headers['access-control-expose-headers'], 'X-Request-ID');
    assert.match(response.headers.vary, /Origin/);
  });

  it('answers a preflight from a listed origin with the methods and headers', async () => {
    const response = await ctx
      .http()
      .options('/users/me')
      .set('Origin', ALLOWED)
      .set('Access-Control-Request-Method', 'PATCH');
    assert.equal(response.status, 204);
    assert.equal(response.headers['access-control-allow-origin'], ALLOWED);
    assert.match(response.headers['access-control-allow-methods'], /PATCH/);
    assert.match(response.headers['access-control-allow-headers'], /Authorization/);
  });

  it('gives another origin no CORS header', async () => {
    const response = await ctx.http().get('/health').set('Origin', 'https://evil.example');
    assert.equal(response.status, 200);
    const cors = Object.keys(response.headers).filter((name) => name.startsWith('access-control-'));
    assert.deepEqual(cors, []);
  });
});
