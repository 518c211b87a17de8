'use strict';
/**
 * One racer of races.test.js, in a thread of its own with its own connection (SQLite's
 * driver blocks its thread while it waits for a lock, as a separate process would).
 * It connects, says "ready", waits for "go", runs its operation and posts the outcome.
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
  const go = new Promise((resolve) => port.once('message', resolve));
  port.postMessage('ready');
  await go;
  try {
    const value = await OPERATIONS[workerData.operation](db, workerData.args);
    port.postMessage({ ok: true, value });
  } catch (error) {
    const failure = /** @type {any} */ (error);
    port.postMessage({ ok: false, status: failure.status ?? null, message: String(failure) });
  } finally {
    await db.destroy();
  }
}

main();
