'use strict';
/**
 * What the payments tests share: test cards, charging and refunding through the API,
 * and a webhook receiver on 127.0.0.1 that answers given statuses, then 200.
 */
const crypto = require('node:crypto');
const http = require('node:http');

const CARD_OK = '4242424242424242';
const CARD_MASTERCARD = '5555555555554444';
const CARD_DECLINED = '4000000000000002';
const CARD_NO_FUNDS = '4000000000009995';

/** @param {Record<string, unknown>} [fields] */
function paymentBody(fields = {}) {
  return { amount: 1000, currency: 'USD', card: { number: CARD_OK }, ...fields };
}

function newKey() {
  return crypto.randomUUID();
}

/**
 * POST /payments with an Idempotency-Key (a new one unless given).
 * @param {any} ctx the startApp() context
 * @param {{headers: Record<string, string>}} account
 * @param {unknown} body
 * @param {string} [key]
 */
function postPayment(ctx, account, body, key = newKey()) {
  return ctx
    .http()
    .post('/payments')
    .set(account.headers)
    .set('Idempotency-Key', key)
    .send(/** @type {any} */ (body));
}

/**
 * Charge and return the payment; fails unless it is created.
 * @param {any} ctx
 * @param {{headers: Record<string, string>}} account
 * @param {Record<string, unknown>} [fields]
 */
async function charge(ctx, account, fields) {
  const response = await postPayment(ctx, account, paymentBody(fields));
  if (response.status !== 201) throw new Error(`charge failed: ${response.text}`);
  return response.body;
}

/**
 * POST /payments/{id}/refunds.
 * @param {any} ctx
 * @param {{headers: Record<string, string>}} account
 * @param {number} paymentId
 * @param {Record<string, unknown>} [fields]
 */
function refund(ctx, account, paymentId, fields = {}) {
  return ctx.http().post(`/payments/${paymentId}/refunds`).set(account.headers).send(fields);
}

/**
 * An HTTP endpoint that records what it receives and answers `statuses`, then 200.
 * @param {number[]} [statuses]
 */
async function startReceiver(statuses = []) {
  const queue = [...statuses];
  /** @type {{headers: http.IncomingHttpHeaders, body: Buffer}[]} */
  const requests = [];
  const server = http.createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(queue.length ? Number(queue.shift()) : 200, { 'Content-Length': '0' });
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}/hooks`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

module.exports = {
  CARD_OK,
  CARD_MASTERCARD,
  CARD_DECLINED,
  CARD_NO_FUNDS,
  paymentBody,
  newKey,
  postPayment,
  charge,
  refund,
  startReceiver,
};
