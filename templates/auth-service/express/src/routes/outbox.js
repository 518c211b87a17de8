'use strict';
/**
 * The outbox, for admins: a development aid until real mail delivery replaces it.
 * @module routes/outbox
 */
const { outboxPage, outboxQuery } = require('../schemas/outbox');
const outbox = require('../services/outbox');

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/admin/outbox',
      summary: 'Messages the service would mail, newest first (development aid)',
      auth: 'admin',
      query: outboxQuery,
      response: outboxPage,
    },
    ({ db, query }) => outbox.listMessages(db, query),
  );
};
