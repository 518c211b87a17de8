'use strict';
/**
 * Prometheus metrics: `GET /metrics` answers in Prometheus' text format.
 *
 * - `http_requests_total{method,route,status}`: answered requests.
 * - `http_request_duration_seconds{method,route}`: their latency, until the answer is sent.
 *
 * `route` is the route as the OpenAPI document spells it (`/tasks/{task_id}`, set by the
 * route registry), `unmatched` when no route answered (404, 405, OPTIONS, a body that
 * is no JSON). /metrics counts none of its own requests.
 *
 * Each worker process of node:cluster counts its own requests. The worker that gets
 * GET /metrics asks the primary process over the cluster's IPC channel; the primary
 * asks every worker (prom-client's AggregatorRegistry) and answers with the sum. In a
 * single process (WEB_CONCURRENCY=1) /metrics answers this process' counts.
 * @module http/metrics
 */
const crypto = require('node:crypto');
// @types/node declares node:cluster as an ES module's default export; require() returns
// the cluster itself.
const cluster = /** @type {import('node:cluster').Cluster} */ (
  /** @type {unknown} */ (require('node:cluster'))
);
const client = require('prom-client');

const { AppError, Unauthorized } = require('../core/errors');

/** The primary could not sum the workers' counts in time (a worker starting): retry. */
class MetricsUnavailable extends AppError {}
MetricsUnavailable.status = 503;
MetricsUnavailable.defaultDetail = 'Metrics unavailable: the workers did not answer in time';

/** The route label of a request that no route answered. */
const UNMATCHED = 'unmatched';
// The buckets of the Python stacks (prometheus_client's defaults), in seconds.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
// Messages between a worker and the primary; AggregatorRegistry sends its own.
const COLLECT = 'metrics:collect';
const COLLECTED = 'metrics:collected';
const ANSWER_WITHIN_MS = 5_000;

/** This process' metrics. */
const registry = new client.Registry();
const requests = new client.Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by method, route and status',
  labelNames: ['method', 'route', 'status'],
  registers: [registry],
});
const duration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time until the answer was sent, by method and route',
  labelNames: ['method', 'route'],
  buckets: BUCKETS,
  registers: [registry],
});

if (cluster.isWorker) {
  // A worker answers the primary's AggregatorRegistry with this registry's metrics
  // (constructing one in a worker installs that listener).
  client.AggregatorRegistry.setRegistries([registry]);
  new client.AggregatorRegistry();
}

/**
 * Middleware counting each request once its answer is sent.
 * @returns {import('express').RequestHandler}
 */
function count() {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = typeof res.locals.route === 'string' ? res.locals.route : UNMATCHED;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      duration.observe({ method: req.method, route }, seconds);
    });
    next();
  };
}

/**
 * Whether an Authorization header carries `Bearer <token>` (compared in constant time).
 * @param {string | undefined} header
 * @param {string} token
 */
function bearerMatches(header, token) {
  const match = /^Bearer (.+)$/i.exec(header || '');
  if (!match) return false;
  const given = crypto.createHash('sha256').update(match[1]).digest();
  const expected = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(given, expected);
}

/**
 * The handler of GET /metrics; with a token, only for `Authorization: Bearer <token>`.
 * @param {string | undefined} token
 * @returns {import('express').RequestHandler}
 */
function endpoint(token) {
  return async (req, res) => {
    if (token !== undefined && !bearerMatches(req.get('authorization'), token)) {
      throw new Unauthorized();
    }
    let text;
    try {
      text = cluster.isWorker ? await askPrimary() : await registry.metrics();
    } catch {
      // A 503 the scraper retries, never a 500: a worker was (re)starting.
      throw new MetricsUnavailable(undefined, { 'Retry-After': '5' });
    }
    res.set('Content-Type', registry.contentType).send(text);
  };
}

let asked = 0;

/**
 * The sum over every worker, from the primary process.
 * @returns {Promise<string>}
 */
function askPrimary() {
  asked += 1;
  const id = `${process.pid}-${asked}`;
  return new Promise((resolve, reject) => {
    /** @param {any} message */
    const listener = (message) => {
      if (message?.type !== COLLECTED || message.id !== id) return;
      settle();
      if (typeof message.text === 'string') resolve(message.text);
      else reject(new Error(`metrics: the primary process answered: ${message.error}`));
    };
    const timer = setTimeout(() => {
      settle();
      reject(new Error('metrics: the primary process did not answer'));
    }, ANSWER_WITHIN_MS);
    const settle = () => {
      clearTimeout(timer);
      process.off('message', listener);
    };
    process.on('message', listener);
    /** @type {NodeJS.Process & {send: Function}} */ (process).send({ type: COLLECT, id });
  });
}

/** In the primary process: answer each worker's COLLECT with the sum over all workers. */
function aggregateWorkers() {
  const aggregator = new client.AggregatorRegistry();
  cluster.on('message', (worker, message) => {
    if (message?.type !== COLLECT) return;
    aggregator.clusterMetrics().then(
      (text) => answer(worker, { type: COLLECTED, id: message.id, text }),
      (error) => answer(worker, { type: COLLECTED, id: message.id, error: String(error.message) }),
    );
  });
}

/**
 * Send a worker its answer, unless it is gone meanwhile.
 * @param {import('node:cluster').Worker} worker
 * @param {object} message
 */
function answer(worker, message) {
  if (worker.isConnected()) worker.send(message);
}

module.exports = { UNMATCHED, aggregateWorkers, count, endpoint, registry };
