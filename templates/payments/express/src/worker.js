'use strict';
/**
 * The webhook worker: `node src/worker.js` sends due deliveries, with retries.
 *
 * It runs beside the server as a process of its own. Each round claims up to 10 due
 * deliveries, posts each signed event and records the attempt: a 2xx answer delivers
 * it; anything else is retried after WEBHOOK_BACKOFF_SECONDS, doubling each time,
 * until WEBHOOK_MAX_ATTEMPTS attempts have failed. `--once` delivers what is due and
 * exits. SIGTERM or Ctrl-C stops it after the current attempt. It logs as the server
 * does (core/logs.js: JSON lines on stderr, LOG_LEVEL, LOG_FORMAT).
 * @module worker
 */
const { setTimeout: sleep } = require('node:timers/promises');

const { loadSettings } = require('./core/config');
const { createLogger } = require('./core/logs');
const { connect } = require('./db');
const { runOnce } = require('./services/deliveries');

async function main() {
  const once = process.argv.includes('--once');
  const settings = loadSettings();
  const logger = createLogger(settings);
  /** @param {string} line */
  const log = (line) => logger.info(line);
  const deliverySettings = settings.kind;
  const db = connect(settings.databaseUrl);
  const stopping = new AbortController();
  const stop = () => stopping.abort();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  log('webhook worker started');
  try {
    while (!stopping.signal.aborted) {
      let attempted = 0;
      try {
        attempted = await runOnce(db, deliverySettings, { log });
      } catch (error) {
        // The database may be starting or not migrated yet: try again later.
        const reason = String(/** @type {Error} */ (error).message).split('\n')[0];
        logger.warn(`database unavailable: ${reason}`);
      }
      if (once) break;
      if (attempted === 0) {
        await sleep(deliverySettings.workerPollSeconds * 1000, undefined, {
          signal: stopping.signal,
        }).catch(() => {});
      }
    }
  } finally {
    await db.destroy();
  }
  log('webhook worker stopped');
}

// Before the logger exists (settings that do not load), stderr as it is.
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
