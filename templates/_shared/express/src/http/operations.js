'use strict';
/**
 * What every answer carries, as in every stack of scaffold: a request id and security
 * headers.
 *
 * - `X-Request-ID`: the client's when it is 1 to 128 letters, digits, dots, underscores
 *   or hyphens; a fresh uuid4 (hex) otherwise. Handlers read it as `req.requestId`.
 * - `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy:
 *   no-referrer` (helmet, configured in app.js); `Strict-Transport-Security` only on a
 *   request that came over TLS (`req.secure`; behind a proxy, Express's `trust proxy`
 *   decides whether X-Forwarded-Proto counts).
 * - CORS, off unless `CORS_ORIGINS` lists origins: a request from a listed origin gets
 *   `Access-Control-Allow-Origin` and `Vary: Origin`, a preflight (OPTIONS with
 *   `Access-Control-Request-Method`) also the methods and headers it may use. Other
 *   origins get nothing, so browsers refuse them.
 * - Each answered request's log line (core/logs.js), once its answer is sent.
 * @module http/operations
 */
const { randomUUID } = require('node:crypto');

const REQUEST_ID_HEADER = 'X-Request-ID';
const WELL_FORMED = /^[A-Za-z0-9._-]{1,128}$/;
const HSTS = 'max-age=31536000; includeSubDomains';
const CORS_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const CORS_HEADERS = 'Authorization, Content-Type, X-Request-ID';
const CORS_MAX_AGE = '600';

/**
 * The client's request id when it is well formed, else a new one.
 * @param {string | undefined} incoming
 * @returns {string}
 */
function requestId(incoming) {
  if (incoming !== undefined && WELL_FORMED.test(incoming)) return incoming;
  return randomUUID().replaceAll('-', '');
}

/**
 * The first middleware: sets the request id, HSTS and CORS before anything can answer,
 * and logs the request's line when its answer is sent.
 * @param {readonly string[]} corsOrigins
 * @param {import('../core/logs').Logger} logger
 * @returns {import('express').RequestHandler}
 */
function operations(corsOrigins, logger) {
  const cors = new Set(corsOrigins);
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const id = requestId(req.get(REQUEST_ID_HEADER));
    /** @type {any} */ (req).requestId = id;
    // The path as it came (routers change req.path on the way), without the query.
    const line = { requestId: id, method: req.method, path: req.path };
    res.on('finish', () => logger.request(line, res.statusCode, started));
    res.set(REQUEST_ID_HEADER, id);
    if (req.secure) res.set('Strict-Transport-Security', HSTS);
    if (cors.size) {
      res.vary('Origin');
      const origin = req.get('Origin');
      if (origin !== undefined && cors.has(origin)) {
        res.set('Access-Control-Allow-Origin', origin);
        if (req.method === 'OPTIONS' && req.get('Access-Control-Request-Method') !== undefined) {
          res.set('Access-Control-Allow-Methods', CORS_METHODS);
          res.set('Access-Control-Allow-Headers', CORS_HEADERS);
          res.set('Access-Control-Max-Age', CORS_MAX_AGE);
        } else {
          res.set('Access-Control-Expose-Headers', REQUEST_ID_HEADER);
        }
      }
    }
    next();
  };
}

/** helmet's options: the headers above, HSTS left to operations(). */
const HELMET_OPTIONS = /** @type {const} */ ({
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: false,
});

module.exports = { HELMET_OPTIONS, REQUEST_ID_HEADER, operations, requestId };
