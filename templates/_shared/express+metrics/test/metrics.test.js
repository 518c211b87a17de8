'use strict';
const assert = require('node:assert/strict');
const http = require('node:http');
const { after, before, describe, it } = require('./suites');

const request = require('supertest');

const { buildApp } = require('../src/app');
const {
  errorFields,
  freshDatabase,
  skipReason,
  startApp,
  startCluster,
  testSettings,
} = require('./support');

const TOKEN = 'metrics-test-token';

/**
 * The value of a sample in Prometheus' text format (0 when it is not there yet).
 * @param {string} text
 * @param {string} name
 * @param {Record<string, string>} labels the sample's labels, all of them
 */
function sample(text, name, labels) {
  for (const line of text.split('\n')) {
    const match = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...match[2].matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]),
    );
    if (
      JSON.stringify(Object.entries(found).sort()) === JSON.stringify(Object.entries(labels).sort())
    ) {
      return Number(match[3]);
    }
  }
  return 0;
}

/**
 * Every route label of a metric in the text.
 * @param {string} text
 * @param {string} name
 */
function routes(text, name) {
  return new Set(
    [...text.matchAll(new RegExp(`^${name}\\{.*route="([^"]*)"`, 'gm'))].map((m) => m[1]),
  );
}

describe('metrics', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  /** /metrics of this process, as text. */
  async function scrape() {
    const response = await ctx.http().get('/metrics');
    assert.equal(response.status, 200);
    return response.text;
  }

  it('answers in Prometheus text format, and counts each request once', async () => {
    const response = await ctx.http().get('/metrics');
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'], /^text\/plain; version=0\.0\.4/);
    const labels = { method: 'GET', route: '/health', status: '200' };
    const before = sample(response.text, 'http_requests_total', labels);
    for (let i = 0; i < 5; i += 1) await ctx.http().get('/health').expect(200);
    const text = await scrape();
    assert.equal(sample(text, 'http_requests_total', labels), before + 5);
    const count = { method: 'GET', route: '/health' };
    assert.ok(sample(text, 'http_request_duration_seconds_count', count) >= 5);
    assert.ok(sample(text, 'http_request_duration_seconds_bucket', { ...count, le: '+Inf' }) >= 5);
  });

  it('labels a request with its route as the OpenAPI document spells it', async () => {
    const document = (await ctx.http().get('/openapi.json')).body;
    assert.ok('/users/{user_id}' in document.paths);
    const labels = { method: 'GET', route: '/users/{user_id}', status: '401' };
    const before = sample(await scrape(), 'http_requests_total', labels);
    await ctx.http().get('/users/5').expect(401);
    await ctx.http().get('/users/6').expect(401);
    await ctx.http().get('/users/me').expect(401);
    const text = await scrape();
    assert.equal(sample(text, 'http_requests_total', labels), before + 2);
    const seen = routes(text, 'http_requests_total');
    assert.ok(seen.has('/users/me'));
    assert.ok(seen.has('/openapi.json'));
    assert.ok(![...seen].some((route) => /\/users\/\d/.test(route)), [...seen].join(' '));
  });

  it('counts a request no route answers as unmatched, never by its raw path', async () => {
    const labels = { method: 'GET', route: 'unmatched', status: '404' };
    const before = sample(await scrape(), 'http_requests_total', labels);
    await ctx.http().get('/no/such/path').expect(404);
    await ctx.http().delete('/health').expect(405);
    const text = await scrape();
    assert.equal(sample(text, 'http_requests_total', labels), before + 1);
    assert.equal(
      sample(text, 'http_requests_total', { ...labels, method: 'DELETE', status: '405' }) >= 1,
      true,
    );
    assert.ok(!routes(text, 'http_requests_total').has('/no/such/path'));
  });

  it('does not count its own requests', async () => {
    await scrape();
    await scrape();
    assert.ok(!routes(await scrape(), 'http_requests_total').has('/metrics'));
  });

  it('is not described in the OpenAPI document', async () => {
    const document = (await ctx.http().get('/openapi.json')).body;
    assert.ok(!('/metrics' in document.paths));
  });
});

describe('metrics with METRICS_TOKEN', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp({ METRICS_TOKEN: TOKEN });
  });
  after(() => ctx.close());

  it('refuses a request without the token: 401 and the error body', async () => {
    for (const header of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`, 'Bearer ']) {
      const call = ctx.http().get('/metrics');
      const response = header === undefined ? await call : await call.set('Authorization', header);
      errorFields(response, 401);
      assert.equal(response.headers['www-authenticate'], 'Bearer');
    }
  });

  it('answers with the token', async () => {
    const response = await ctx.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    assert.equal(response.status, 200);
    assert.match(response.text, /# TYPE http_requests_total counter/);
  });

  it('reads METRICS_TOKEN from the settings (empty: unset)', () => {
    assert.equal(
      testSettings('sqlite:///x.db', { METRICS_TOKEN: TOKEN }).features.metricsToken,
      TOKEN,
    );
    assert.equal(
      testSettings('sqlite:///x.db', { METRICS_TOKEN: '' }).features.metricsToken,
      undefined,
    );
    const open = buildApp({
      db: ctx.db,
      settings: testSettings('sqlite:///x.db'),
      logDestination: { write: () => {} },
    });
    return request(open).get('/metrics').expect(200);
  });
});

/**
 * GET on a new connection each time, so that the cluster hands them to its workers in turn.
 * @param {number} port
 * @param {string} target
 * @returns {Promise<{status: number, text: string}>}
 */
function get(port, target) {
  return new Promise((resolve, reject) => {
    const headers = { Authorization: `Bearer ${TOKEN}`, Connection: 'close' };
    http
      .get({ host: '127.0.0.1', port, path: target, agent: false, headers }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode || 0, text }));
      })
      .on('error', reject);
  });
}

describe('metrics over the workers of node:cluster', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof freshDatabase>>} */
  let database;
  /** @type {Awaited<ReturnType<typeof startCluster>>} */
  let server;
  /** @type {number} */
  let port;

  before(async () => {
    database = await freshDatabase();
    // Both workers listen (and answer the primary) before the test begins.
    server = await startCluster(database.url, { METRICS_TOKEN: TOKEN });
    port = server.port;
  });

  after(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('counts N requests as exactly N, whichever worker answers /metrics', async () => {
    const labels = { method: 'GET', route: '/health', status: '200' };
    const first = await get(port, '/metrics');
    assert.equal(first.status, 200);
    const before = sample(first.text, 'http_requests_total', labels);
    const requests = 40;
    for (let i = 0; i < requests; i += 1) assert.equal((await get(port, '/health')).status, 200);
    // Several scrapes on new connections: the workers take them in turn, each sums both.
    for (let i = 0; i < 4; i += 1) {
      const scraped = await get(port, '/metrics');
      assert.equal(scraped.status, 200);
      assert.equal(sample(scraped.text, 'http_requests_total', labels), before + requests);
    }
  });

  it('still asks for the token in a worker', async () => {
    const response = await new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        })
        .on('error', reject);
    });
    assert.equal(response, 401);
  });
});
