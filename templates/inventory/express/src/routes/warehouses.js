'use strict';
/**
 * Warehouses: admins create and rename them; everyone signed in reads them.
 * @module routes/warehouses
 */
const { pageOf, pageQuery } = require('../schemas/common');
const { warehouseCreate, warehousePublic, warehouseUpdate } = require('../schemas/warehouses');
const warehouses = require('../services/warehouses');

const NOT_FOUND = { 404: 'Warehouse not found' };

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/warehouses',
      summary: 'List warehouses, sorted by code',
      auth: 'user',
      query: pageQuery,
      response: pageOf(warehousePublic),
    },
    ({ db, query }) => warehouses.listWarehouses(db, query),
  );
  api.route(
    {
      method: 'POST',
      path: '/warehouses',
      summary: 'Create a warehouse',
      auth: 'admin',
      body: warehouseCreate,
      response: warehousePublic,
      status: 201,
      errors: { 409: 'A warehouse with this code exists' },
    },
    ({ db, body }) => warehouses.createWarehouse(db, body),
  );
  api.route(
    {
      method: 'GET',
      path: '/warehouses/{warehouse_id}',
      summary: 'Read a warehouse',
      auth: 'user',
      response: warehousePublic,
      errors: NOT_FOUND,
    },
    async ({ db, params }) =>
      warehouses.toPublic(await warehouses.getWarehouse(db, params.warehouse_id)),
  );
  api.route(
    {
      method: 'PATCH',
      path: '/warehouses/{warehouse_id}',
      summary: 'Rename a warehouse',
      auth: 'admin',
      body: warehouseUpdate,
      response: warehousePublic,
      errors: NOT_FOUND,
    },
    ({ db, params, body }) => warehouses.updateWarehouse(db, params.warehouse_id, body),
  );
};
