'use strict';
/**
 * Webhook endpoint, event and delivery shapes.
 * @module schemas/webhooks
 */
const { z } = require('zod');

const { pageQuery, text } = require('./common');
const { queryId } = require('./payments');

const MAX_URL_LENGTH = 2000;
const EVENT_TYPES = /** @type {const} */ ([
  'payment.succeeded',
  'payment.failed',
  'refund.created',
]);
const DELIVERY_STATUSES = /** @type {const} */ (['pending', 'succeeded', 'failed']);

/**
 * Why `value` is not an acceptable webhook URL, or null.
 * @param {string} value
 */
function urlProblem(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    return 'must be an http or https URL';
  }
  if (!['http:', 'https:'].includes(url.protocol) || !url.hostname) {
    return 'must be an http or https URL';
  }
  if (url.username || url.password || /\s/.test(value)) {
    return 'must be an http or https URL without credentials or spaces';
  }
  if (url.port === '0') return 'must name a port between 1 and 65535';
  return null;
}

/** A URL to receive events, with an optional note. */
const webhookCreate = z.strictObject({
  // The document says "uri"; urlProblem takes only http(s) ones with a host.
  url: text({ min: 1, max: MAX_URL_LENGTH })
    .superRefine((value, context) => {
      const problem = urlProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .meta({ format: 'uri' }),
  description: text({ max: 200 }).nullish(),
});

/** A webhook endpoint as lists show it (never the secret). */
const webhookPublic = z.object({
  id: z.number().int(),
  owner_id: z.number().int(),
  url: z.string(),
  description: z.string().nullable(),
  created_at: z.iso.datetime(),
});

/** A new endpoint with its signing secret, which no other response shows. */
const webhookCreated = webhookPublic.extend({ secret: z.string() });

/** An event of the outbox, with the object it is about. */
const eventPublic = z.object({
  id: z.number().int(),
  owner_id: z.number().int(),
  type: z.enum(EVENT_TYPES),
  payment_id: z.number().int().nullable(),
  data: z.record(z.string(), z.unknown()),
  created_at: z.iso.datetime(),
});

/** Filters of GET /events (newest first). */
const eventQuery = pageQuery.extend({
  type: z.enum(EVENT_TYPES).optional(),
  payment_id: queryId.optional(),
});

/** One attempt to deliver: when, the status code or the error, how long it took. */
const attemptPublic = z.object({
  attempted_at: z.iso.datetime(),
  status_code: z.number().int().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number().int(),
});

/** An event's delivery to one endpoint, with every attempt so far. */
const deliveryPublic = z.object({
  id: z.number().int(),
  webhook_id: z.number().int(),
  event_id: z.number().int(),
  event_type: z.enum(EVENT_TYPES),
  status: z.enum(DELIVERY_STATUSES),
  attempt_count: z.number().int(),
  next_attempt_at: z.iso.datetime().nullable(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  delivered_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
  attempts: z.array(attemptPublic),
});

/** Filters of GET /webhooks/{webhook_id}/deliveries (newest first). */
const deliveryQuery = pageQuery.extend({ status: z.enum(DELIVERY_STATUSES).optional() });

module.exports = {
  EVENT_TYPES,
  DELIVERY_STATUSES,
  urlProblem,
  webhookCreate,
  webhookPublic,
  webhookCreated,
  eventPublic,
  eventQuery,
  deliveryPublic,
  deliveryQuery,
};
