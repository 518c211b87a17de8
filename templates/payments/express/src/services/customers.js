'use strict';
/**
 * Customer rules: a merchant sees their own customers, an admin sees all.
 * @module services/customers
 */
const { NotFound } = require('../core/errors');
const { insert, isoTimestamp, now } = require('../db');
const { paginate } = require('./pagination');
const { isAdmin } = require('./users');

/**
 * A customer as the API shows it.
 * @param {any} row
 */
function toPublic(row) {
  return {
    id: Number(row.id),
    owner_id: Number(row.owner_id),
    name: row.name,
    email: row.email,
    created_at: isoTimestamp(row.created_at),
    updated_at: isoTimestamp(row.updated_at),
  };
}

/**
 * The customers `user` may see.
 * @param {import('knex').Knex} db
 * @param {any} user
 */
function visible(db, user) {
  const query = db('customers');
  if (!isAdmin(user)) query.where({ owner_id: user.id });
  return query;
}

/**
 * One page of the customers `user` may see, newest first, filtered by email.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {{limit: number, offset: number, email?: string}} query
 */
function listCustomers(db, user, query) {
  const customers = visible(db, user);
  if (query.email !== undefined) customers.where({ email: query.email.toLowerCase() });
  return paginate(
    db,
    customers,
    query,
    (q) =>
      q.orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]),
    toPublic,
  );
}

/**
 * A customer `user` may see; anyone else's is NotFound.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {number} customerId
 */
async function getCustomer(db, user, customerId) {
  const customer = await visible(db, user).where({ id: customerId }).first();
  if (!customer) throw new NotFound('Customer not found');
  return customer;
}

/**
 * `user`'s own customer with this id (admins included), or undefined.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {number} customerId
 */
function ownedCustomer(db, user, customerId) {
  return db('customers').where({ id: customerId, owner_id: user.id }).first();
}

/**
 * Create a customer of `user`; emails are kept in lower case.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {{name: string, email: string}} data
 */
async function createCustomer(db, user, data) {
  const time = now();
  const id = await insert(db, 'customers', {
    owner_id: user.id,
    name: data.name,
    email: data.email.toLowerCase(),
    created_at: time,
    updated_at: time,
  });
  return toPublic(await getCustomer(db, user, id));
}

/**
 * Change the given fields of a customer.
 * @param {import('knex').Knex} db
 * @param {any} user
 * @param {number} customerId
 * @param {{name?: string, email?: string}} data
 */
async function updateCustomer(db, user, customerId, data) {
  const customer = await getCustomer(db, user, customerId);
  /** @type {Record<string, unknown>} */
  const changes = {};
  if (data.name !== undefined) changes.name = data.name;
  if (data.email !== undefined) changes.email = data.email.toLowerCase();
  if (Object.keys(changes).length) {
    await db('customers')
      .where({ id: customer.id })
      .update({ ...changes, updated_at: now() });
  }
  return toPublic(await getCustomer(db, user, customer.id));
}

module.exports = {
  toPublic,
  listCustomers,
  getCustomer,
  ownedCustomer,
  createCustomer,
  updateCustomer,
};
