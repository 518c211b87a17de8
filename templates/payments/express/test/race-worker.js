'use strict';
/**
 * A racer of races.test.js, in a thread of its own with its own connection (SQLite's
 * driver blocks its thread while it waits for a lock, as a separate process would).
 * It connects and says "ready"; then each {operation, args} message runs the operation
 * and answers the outcome; "close" disconnects and ends the thread.
 */
const { parentPort, workerData } = require('node:worker_threads');

const { connect } = require('../src/db');
const { runOnce } = require('../src/services/deliveries');
const payments = require('../src/services/payments');

/** @type {Record<string, (db: import('knex').Knex, args: any) => Promise<unknown>>} */
const OPERATIONS = {
  charge: (db, { user, body, key, settings }) =>
    payments.createPayment(db, user, body, key, settings),
  refund: (db, { user, paymentId, data }) => payments.refundPayment(db, user, paymentId, data),
  deliver: (db, { settings, limit }) => runOnce(db, settings, { limit }),
};

async function main() {
  const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
  const db = connect(workerData.url);
  await db.raw('select 1');
  port.on('message', async (message) => {
    if (message === 'close') {
      await db.destroy();
      port.close();
      return;
    }
    try {
      const value = await OPERATIONS[message.operation](db, message.args);
      port.postMessage({ ok: true, value });
    } catch (error) {
      const failure = /** @type {any} */ (error);
      port.postMessage({ ok: false, status: failure.status ?? null, message: String(failure) });
    }
  });
  port.postMessage('ready');
}

main();
