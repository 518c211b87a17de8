'use strict';
/**
 * The webhook worker: `node src/worker.js` sends due deliveries, with retries.
 *
 * It runs beside the server as a process of its own. Each round claims up to 10 due
 * deliveries, posts each signed event and records the attempt: a 2xx answer delivers
 * it; anything else is retried after WEBHOOK_BACKOFF_SECONDS, doubling each time,
 * until WEBHOOK_MAX_ATTEMPTS attempts have failed. `--once` delivers what is due and
 * exits. SIGTERM or Ctrl-C stops it after the current attempt.
 * @module worker
 */
const { setTimeout: sleep } = require('node:timers/promises');

const { loadSettings } = require('./core/config');
const { connect } = require('./db');
const { runOnce } = require('./services/deliveries');

/** @param {string} line */
function log(line) {
  console.log(`${new Date().toISOString()} ${line}`);
}

async function main() {
  const once = process.argv.includes('--once');
  const settings = loadSettings();
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
        log(`database unavailable: ${String(/** @type {Error} */ (error).message).split('\n')[0]}`);
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

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
