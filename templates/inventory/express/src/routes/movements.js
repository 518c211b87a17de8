'use strict';
/**
 * The stock ledger: managers and admins record movements, everyone signed in reads it.
 * @module routes/movements
 */
const {
  movementCreate,
  movementPublic,
  movementQuery,
  movementReceipt,
} = require('../schemas/stock');
const stock = require('../services/stock');
const { pageOf } = require('../schemas/common');

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'POST',
      path: '/movements',
      summary: 'Receive, ship, adjust or transfer stock',
      auth: 'user',
      roles: ['manager', 'admin'],
      body: movementCreate,
      response: movementReceipt,
      status: 201,
      errors: {
        404: 'Product or warehouse not found',
        409: 'Not enough stock, a level above its maximum, or an inactive product',
      },
    },
    ({ db, settings, user, body }) =>
      stock.recordMovement(db, user, body, settings.kind.stockMovementAttempts),
  );
  api.route(
    {
      method: 'GET',
      path: '/movements',
      summary: 'The stock ledger, newest first, filtered by product, warehouse and type',
      auth: 'user',
      query: movementQuery,
      response: pageOf(movementPublic),
    },
    ({ db, query }) => stock.listMovements(db, query),
  );
};
