'use strict';
/**
 * Webhook endpoints, their deliveries, and the events (the outbox).
 * @module routes/webhooks
 */
const { pageOf, pageQuery } = require('../schemas/common');
const {
  deliveryPublic,
  deliveryQuery,
  eventPublic,
  eventQuery,
  webhookCreate,
  webhookCreated,
  webhookPublic,
} = require('../schemas/webhooks');
const events = require('../services/events');
const webhooks = require('../services/webhooks');

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/webhooks',
      summary: 'List your webhook endpoints',
      auth: 'user',
      query: pageQuery,
      response: pageOf(webhookPublic),
    },
    ({ db, user, query }) => webhooks.listWebhooks(db, user, query),
  );
  api.route(
    {
      method: 'POST',
      path: '/webhooks',
      summary: 'Register a webhook endpoint; its signing secret is shown only here',
      auth: 'user',
      body: webhookCreate,
      response: webhookCreated,
      status: 201,
    },
    ({ db, user, body }) => webhooks.createWebhook(db, user, body),
  );
  api.route(
    {
      method: 'GET',
      path: '/webhooks/{webhook_id}',
      summary: 'Read a webhook endpoint',
      auth: 'user',
      response: webhookPublic,
      errors: { 404: 'Webhook not found' },
    },
    async ({ db, user, params }) =>
      webhooks.toPublic(await webhooks.getWebhook(db, user, params.webhook_id)),
  );
  api.route(
    {
      method: 'DELETE',
      path: '/webhooks/{webhook_id}',
      summary: 'Delete a webhook endpoint (its pending deliveries go with it)',
      auth: 'user',
      status: 204,
      errors: { 404: 'Webhook not found' },
    },
    ({ db, user, params }) => webhooks.deleteWebhook(db, user, params.webhook_id),
  );
  api.route(
    {
      method: 'GET',
      path: '/webhooks/{webhook_id}/deliveries',
      summary: 'List the deliveries of a webhook endpoint, each with its attempts',
      auth: 'user',
      query: deliveryQuery,
      response: pageOf(deliveryPublic),
      errors: { 404: 'Webhook not found' },
    },
    ({ db, user, params, query }) => webhooks.listDeliveries(db, user, params.webhook_id, query),
  );
  api.route(
    {
      method: 'GET',
      path: '/events',
      summary: 'List your events (the outbox), newest first, filtered by type or payment',
      auth: 'user',
      query: eventQuery,
      response: pageOf(eventPublic),
    },
    ({ db, user, query }) => events.listEvents(db, user, query),
  );
};
