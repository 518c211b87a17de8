'use strict';
/**
 * Customers of the signed-in merchant (all of them for an admin).
 * @module routes/customers
 */
const {
  customerCreate,
  customerPublic,
  customerQuery,
  customerUpdate,
} = require('../schemas/customers');
const { pageOf } = require('../schemas/common');
const customers = require('../services/customers');

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/customers',
      summary: 'List your customers (all for an admin), paginated, filtered by email',
      auth: 'user',
      query: customerQuery,
      response: pageOf(customerPublic),
    },
    ({ db, user, query }) => customers.listCustomers(db, user, query),
  );
  api.route(
    {
      method: 'POST',
      path: '/customers',
      summary: 'Create a customer',
      auth: 'user',
      body: customerCreate,
      response: customerPublic,
      status: 201,
    },
    ({ db, user, body }) => customers.createCustomer(db, user, body),
  );
  api.route(
    {
      method: 'GET',
      path: '/customers/{customer_id}',
      summary: 'Read a customer',
      auth: 'user',
      response: customerPublic,
      errors: { 404: 'Customer not found' },
    },
    async ({ db, user, params }) =>
      customers.toPublic(await customers.getCustomer(db, user, params.customer_id)),
  );
  api.route(
    {
      method: 'PATCH',
      path: '/customers/{customer_id}',
      summary: "Change a customer's name or email",
      auth: 'user',
      body: customerUpdate,
      response: customerPublic,
      errors: { 404: 'Customer not found' },
    },
    ({ db, user, params, body }) => customers.updateCustomer(db, user, params.customer_id, body),
  );
};
