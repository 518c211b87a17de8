'use strict';
/**
 * Delivering the outbox: claim due deliveries, post each signed event, record the
 * attempt and schedule a retry with exponential backoff. The worker (src/worker.js)
 * runs runOnce() in a loop.
 *
 * Several workers may run: a claim takes rows with SELECT ... FOR UPDATE SKIP LOCKED
 * (PostgreSQL, MySQL 8, MariaDB 10.6) and marks them with a token and a lease in a
 * conditional update, which alone keeps SQLite's workers apart. A worker that dies
 * mid-round leaves its claims to others once the lease ends.
 * @module services/deliveries
 */
const crypto = require('node:crypto');
const dns = require('node:dns/promises');
const net = require('node:net');

const { name, version } = require('../../package.json');
const { SIGNATURE_HEADER, sign } = require('../core/signatures');
const { insert, now, transaction } = require('../db');

const BATCH_SIZE = 10;
const MAX_BACKOFF_SECONDS = 3600;
const MAX_ERROR_LENGTH = 500;

/**
 * @typedef {object} Claimed a delivery this worker holds until its lease ends
 * @property {number} deliveryId
 * @property {number} attemptCount
 * @property {number} webhookId
 * @property {string} url
 * @property {string} secret
 * @property {number} eventId
 * @property {string} eventType
 * @property {string} body
 */

/**
 * @typedef {{webhookMaxAttempts: number, webhookBackoffSeconds: number,
 *   webhookTimeoutSeconds: number, webhookAllowPrivateUrls: boolean}} DeliverySettings
 */

/**
 * The wait after the `attempts`-th failed attempt, in ms: the base, doubling, capped at 1 h.
 * @param {number} attempts
 * @param {DeliverySettings} settings
 */
function backoffMs(attempts, settings) {
  const seconds = settings.webhookBackoffSeconds * 2 ** (attempts - 1);
  return Math.min(seconds, MAX_BACKOFF_SECONDS) * 1000;
}

/**
 * How long a claim lasts, in ms: enough to try every claimed delivery, with time to spare.
 * @param {DeliverySettings} settings
 * @param {number} limit
 */
function leaseMs(settings, limit) {
  return (settings.webhookTimeoutSeconds * limit + 60) * 1000;
}

/**
 * Claim up to `limit` pending deliveries that are due, for the worker of `token`.
 * @param {import('knex').Knex} db
 * @param {{at: Date, token: string, limit: number, holdMs: number}} claim
 * @returns {Promise<Claimed[]>}
 */
async function claimDue(db, { at, token, limit, holdMs }) {
  /** @param {import('knex').Knex.QueryBuilder} query */
  const due = (query) => query.where('status', 'pending').where('next_attempt_at', '<=', at);
  const hold = { claim_token: token, next_attempt_at: new Date(at.getTime() + holdMs) };
  if (db.client.dialect === 'sqlite3') {
    // No row locks: one conditional update claims the rows that are still due.
    await db('deliveries')
      .whereIn('id', (sub) =>
        due(sub.select('id').from('deliveries'))
          .orderBy([{ column: 'next_attempt_at' }, { column: 'id' }])
          .limit(limit),
      )
      .modify(due)
      .update(hold);
  } else {
    await transaction(db, async (trx) => {
      // Rows another worker is claiming are skipped, not waited for.
      const rows = await due(trx('deliveries').select('id'))
        .orderBy([{ column: 'next_attempt_at' }, { column: 'id' }])
        .limit(limit)
        .forUpdate()
        .skipLocked();
      if (rows.length === 0) return;
      await trx('deliveries')
        .whereIn(
          'id',
          rows.map((/** @type {{id: number}} */ row) => row.id),
        )
        .modify(due)
        .update(hold);
    });
  }
  return claimedBy(db, token);
}

/**
 * The deliveries the claim of `token` holds, with what posting them needs.
 * @param {import('knex').Knex} db
 * @param {string} token
 * @returns {Promise<Claimed[]>}
 */
async function claimedBy(db, token) {
  const rows = await db('deliveries')
    .join('events', 'events.id', 'deliveries.event_id')
    .join('webhook_endpoints', 'webhook_endpoints.id', 'deliveries.endpoint_id')
    .where('deliveries.claim_token', token)
    .orderBy([{ column: 'deliveries.next_attempt_at' }, { column: 'deliveries.id' }])
    .select(
      'deliveries.id as delivery_id',
      'deliveries.attempt_count',
      'webhook_endpoints.id as webhook_id',
      'webhook_endpoints.url',
      'webhook_endpoints.secret',
      'events.id as event_id',
      'events.type as event_type',
      'events.body',
    );
  return rows.map((row) => ({
    deliveryId: Number(row.delivery_id),
    attemptCount: Number(row.attempt_count),
    webhookId: Number(row.webhook_id),
    url: row.url,
    secret: row.secret,
    eventId: Number(row.event_id),
    eventType: row.event_type,
    body: row.body,
  }));
}

/** Loopback, private, link-local and other non-public ranges. */
const NON_PUBLIC = new net.BlockList();
for (const [address, prefix] of /** @type {[string, number][]} */ ([
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
])) {
  NON_PUBLIC.addSubnet(address, prefix, 'ipv4');
}
for (const [address, prefix] of /** @type {[string, number][]} */ ([
  // IPv4-mapped addresses (::ffff:a.b.c.d) are checked against the IPv4 ranges above.
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
])) {
  NON_PUBLIC.addSubnet(address, prefix, 'ipv6');
}

/**
 * Why `url` may not be called when private addresses are refused, or null.
 * @param {string} url
 */
async function refusedAddress(url) {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  let addresses;
  try {
    addresses = await dns.lookup(host, { all: true });
  } catch (error) {
    return `cannot resolve ${host}: ${/** @type {Error} */ (error).message}`;
  }
  for (const { address, family } of addresses) {
    if (NON_PUBLIC.check(address, family === 6 ? 'ipv6' : 'ipv4')) {
      return `refused: ${host} resolves to the non-public address ${address}`;
    }
  }
  return null;
}

/**
 * POST one signed event; the status code, or the error that prevented one.
 * Redirects are not followed (a 3xx is a failed attempt) and no proxy is used.
 * @param {Claimed} claimed
 * @param {DeliverySettings} settings
 * @returns {Promise<{statusCode: number | null, error: string | null}>}
 */
async function post(claimed, settings) {
  if (!settings.webhookAllowPrivateUrls) {
    const refusal = await refusedAddress(claimed.url);
    if (refusal) return { statusCode: null, error: refusal };
  }
  try {
    const response = await fetch(claimed.url, {
      method: 'POST',
      body: claimed.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(settings.webhookTimeoutSeconds * 1000),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': `${name}-webhooks/${version}`,
        [SIGNATURE_HEADER]: sign(claimed.secret, claimed.body),
        'Scaffold-Event-Id': String(claimed.eventId),
        'Scaffold-Event-Type': claimed.eventType,
        'Scaffold-Delivery-Id': String(claimed.deliveryId),
      },
    });
    await response.body?.cancel();
    const ok = response.status >= 200 && response.status < 300;
    return {
      statusCode: response.status,
      error: ok ? null : `the endpoint answered ${response.status}`,
    };
  } catch (error) {
    const cause = /** @type {any} */ (error).cause;
    const detail = `${/** @type {Error} */ (error).name}: ${
      cause && cause.message ? cause.message : /** @type {Error} */ (error).message
    }`;
    return { statusCode: null, error: detail.slice(0, MAX_ERROR_LENGTH) };
  }
}

/**
 * Record an attempt and schedule what follows; false if the claim was lost.
 * @param {import('knex').Knex} db
 * @param {Claimed} claimed
 * @param {string} token
 * @param {DeliverySettings} settings
 * @param {{attemptedAt: Date, statusCode: number | null, error: string | null,
 *   durationMs: number}} attempt
 */
function recordAttempt(db, claimed, token, settings, attempt) {
  const attempts = claimed.attemptCount + 1;
  const { attemptedAt, statusCode, error, durationMs } = attempt;
  /** @type {Record<string, unknown>} */
  const values = {
    attempt_count: attempts,
    claim_token: null,
    last_status_code: statusCode,
    last_error: error,
    updated_at: now(),
  };
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
    Object.assign(values, {
      status: 'succeeded',
      delivered_at: attemptedAt,
      next_attempt_at: null,
    });
  } else if (attempts >= settings.webhookMaxAttempts) {
    Object.assign(values, { status: 'failed', next_attempt_at: null });
  } else {
    const next = new Date(attemptedAt.getTime() + backoffMs(attempts, settings));
    Object.assign(values, { next_attempt_at: next });
  }
  return transaction(db, async (trx) => {
    const changed = await trx('deliveries')
      .where({ id: claimed.deliveryId, claim_token: token })
      .update(values);
    // The lease ran out and another worker took it over, or the endpoint is gone.
    if (changed !== 1) return false;
    await insert(trx, 'delivery_attempts', {
      delivery_id: claimed.deliveryId,
      attempted_at: attemptedAt,
      status_code: statusCode,
      error,
      duration_ms: durationMs,
    });
    return true;
  });
}

/**
 * Claim the due deliveries, attempt each once, record the outcomes.
 * @param {import('knex').Knex} db
 * @param {DeliverySettings} settings
 * @param {{at?: Date, limit?: number, log?: (line: string) => void}} [options]
 *   at: the time that decides what is due and schedules retries (tests)
 * @returns {Promise<number>} how many deliveries were attempted
 */
async function runOnce(db, settings, options = {}) {
  const limit = options.limit ?? BATCH_SIZE;
  const log = options.log ?? (() => {});
  const token = crypto.randomBytes(16).toString('hex');
  const claimed = await claimDue(db, {
    at: options.at ?? now(),
    token,
    limit,
    holdMs: leaseMs(settings, limit),
  });
  for (const item of claimed) {
    const attemptedAt = options.at ?? now();
    const started = performance.now();
    const { statusCode, error } = await post(item, settings);
    const durationMs = Math.round(performance.now() - started);
    const kept = await recordAttempt(db, item, token, settings, {
      attemptedAt,
      statusCode,
      error,
      durationMs,
    });
    log(
      `delivery ${item.deliveryId} (event ${item.eventId} ${item.eventType}) to webhook ` +
        `${item.webhookId}, attempt ${item.attemptCount + 1}: ` +
        `${statusCode !== null ? `status ${statusCode}` : error}` +
        `${kept ? '' : ' (claim lost, not recorded)'}`,
    );
  }
  return claimed.length;
}

module.exports = {
  BATCH_SIZE,
  backoffMs,
  leaseMs,
  claimDue,
  claimedBy,
  refusedAddress,
  post,
  recordAttempt,
  runOnce,
};
