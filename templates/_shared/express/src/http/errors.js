'use strict';
/**
 * Every error becomes {"detail": ...} (and "errors" for 422); nothing leaks as a bare 500.
 * @module http/errors
 */
const http = require('node:http');

const { AppError, DatabaseUnavailable, NotFound, ValidationFailed } = require('../core/errors');

// What the drivers throw when the database is gone: the network's codes, mysql2's lost
// connection, PostgreSQL's "shutting down" (57P01), SQLite's file that cannot be opened
// or read, and knex's wait for a connection.
const DATABASE_GONE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  '57P01',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
]);

/**
 * Whether an error means that the database cannot be reached (not a bug: a 503).
 * @param {unknown} error
 * @returns {boolean}
 */
function databaseGone(error) {
  if (!(error instanceof Error)) return false;
  if (error.name === 'KnexTimeoutError') return true;
  if (/^Connection terminated/.test(error.message)) return true; // pg, mid-query
  const { code } = /** @type {NodeJS.ErrnoException} */ (error);
  // A SQLite file gone: the empty database opened in its place has no tables.
  if (/^SQLITE_/.test(String(code)) && /no such table/.test(error.message)) return true;
  if (typeof code === 'string' && DATABASE_GONE.has(code)) return true;
  return error instanceof AggregateError && error.errors.some(databaseGone);
}

/**
 * The last handler: no route matched. Another method on a known path is a 405.
 * @param {import('./registry').Registry} registry
 * @returns {import('express').RequestHandler}
 */
function notFound(registry) {
  return (req, res) => {
    const methods = registry.methodsFor(req.path);
    if (methods.length) {
      res.set('Allow', methods.join(', '));
      res.status(405).json({ detail: 'Method not allowed' });
      return;
    }
    const error = new NotFound();
    res.status(error.status).json(error.body());
  };
}

/**
 * OPTIONS on a known path, for anyone: a 204 whose Allow lists the path's methods, as in
 * every stack (Express's own answer would add HEAD and send them as text).
 * @param {import('./registry').Registry} registry
 * @returns {import('express').RequestHandler}
 */
function answerOptions(registry) {
  return (req, res, next) => {
    const methods = req.method === 'OPTIONS' ? registry.methodsFor(req.path) : [];
    if (!methods.length) {
      next();
      return;
    }
    res.set('Allow', methods.join(', ')).status(204).end();
  };
}

/**
 * The error middleware: AppErrors as they are (logged when they are 5xx), body-parser
 * and router errors as their 4xx status, anything else logged and answered as a 500.
 * @param {import('../core/logs').Logger} logger
 * @returns {import('express').ErrorRequestHandler}
 */
function errorHandler(logger) {
  return (error, req, res, _next) => {
    const { requestId } = /** @type {any} */ (req);
    if (error instanceof AppError) {
      // The service's own fault (a missing key, say): clients get the detail, the log
      // gets what went wrong.
      if (error.status >= 500) {
        logger.error(requestId, error, `${error.constructor.name}: ${error.message}`);
      }
      res.set(error.headers).status(error.status).json(error.body());
      return;
    }
    if (error && error.type === 'entity.parse.failed') {
      const invalid = new ValidationFailed([{ field: 'body', message: 'Invalid JSON' }]);
      res.status(invalid.status).json(invalid.body());
      return;
    }
    if (databaseGone(error)) {
      logger.error(requestId, error, `database unavailable: ${error.message}`);
      const unavailable = new DatabaseUnavailable();
      res.status(unavailable.status).json(unavailable.body());
      return;
    }
    const status = Number(error && (error.status || error.statusCode));
    if (status >= 400 && status < 500) {
      res.status(status).json({ detail: http.STATUS_CODES[status] || 'Bad request' });
      return;
    }
    logger.error(requestId, error, 'unhandled error');
    res.status(500).json({ detail: 'Internal server error' });
  };
}

module.exports = { answerOptions, notFound, errorHandler };
