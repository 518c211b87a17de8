'use strict';
/**
 * Structured logs (pino), as in every stack of scaffold: one line per request, one per
 * error, each with its request id.
 *
 * - `LOG_FORMAT=json` (the default): one JSON object per line on stderr (stdout stays
 *   the commands' output), with `time`,
 *   `level`, `message` and `request_id`; a request line adds `method`, `path`, `status`
 *   and `duration_ms`, an error line `exc_type` and `traceback`. `LOG_FORMAT=text`: the
 *   same records as plain lines, for a terminal.
 * - `LOG_LEVEL` (default INFO) filters; `ACCESS_LOG=0` drops the request lines alone.
 * - What is never logged: headers (Authorization included), bodies, query strings (they
 *   may carry tokens). The path is logged without its query.
 * @module core/logs
 */
const pino = require('pino');

/** LOG_LEVEL's names (Python's) as pino's. */
const LEVELS = /** @type {const} */ ({
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warn',
  ERROR: 'error',
  CRITICAL: 'fatal',
});

/**
 * @typedef {{write: (line: string) => unknown}} Destination
 */

/**
 * Plain lines for a terminal: time, level, [request id], message.
 * @param {Destination} out
 * @returns {Destination}
 */
function textLines(out) {
  return {
    write(line) {
      const entry = JSON.parse(line);
      const text = `${entry.time} ${entry.level.toUpperCase()} [${entry.request_id ?? '-'}] ${entry.message}`;
      out.write(entry.traceback ? `${text}\n${entry.traceback}\n` : `${text}\n`);
    },
  };
}

/**
 * The service's logger, as the settings say.
 * @param {Pick<import('./config').Settings, 'logLevel' | 'logFormat' | 'accessLog'>} settings
 * @param {Destination} [destination] where lines go (stderr by default; tests collect them)
 */
function createLogger(settings, destination = process.stderr) {
  const logger = pino(
    {
      level: LEVELS[settings.logLevel],
      base: undefined,
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    settings.logFormat === 'json' ? destination : textLines(destination),
  );
  return {
    /**
     * Log an event of the service's own (a worker's progress, a dependency that went away).
     * @param {string} message
     * @param {Record<string, unknown>} [fields]
     */
    info(message, fields = {}) {
      logger.info(fields, message);
    },
    /**
     * Log something that went wrong without failing a request.
     * @param {string} message
     * @param {Record<string, unknown>} [fields]
     */
    warn(message, fields = {}) {
      logger.warn(fields, message);
    },
    /**
     * Log the line of an answered request (`started`: process.hrtime.bigint() at its start).
     * @param {{requestId: string, method: string, path: string}} req
     * @param {number} status
     * @param {bigint} started
     */
    request(req, status, started) {
      if (!settings.accessLog) return;
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 10_000) / 100;
      const { requestId, method, path } = req;
      logger.info(
        { request_id: requestId, method, path, status, duration_ms: durationMs },
        `${method} ${path} ${status} ${durationMs.toFixed(2)}ms`,
      );
    },
    /**
     * Log an error of a request (an unhandled one, or the service's own 5xx).
     * @param {string} requestId
     * @param {unknown} error
     * @param {string} message
     */
    error(requestId, error, message) {
      const known = error instanceof Error;
      logger.error(
        {
          request_id: requestId,
          exc_type: known ? error.constructor.name : typeof error,
          traceback: known ? error.stack : String(error),
        },
        message,
      );
    },
  };
}

/** @typedef {ReturnType<typeof createLogger>} Logger */

module.exports = { createLogger };
