'use strict';
/**
 * Limit/offset pagination with a total, for any knex query.
 * @module services/pagination
 */
const { toCount } = require('../db');

/**
 * Run a query for one page and count every matching row.
 * @template T
 * @param {import('knex').Knex} db
 * @param {import('knex').Knex.QueryBuilder} query the filtered query, without order
 * @param {{limit: number, offset: number}} page
 * @param {(builder: import('knex').Knex.QueryBuilder) => import('knex').Knex.QueryBuilder} order
 * @param {(row: any) => T} serialize
 * @returns {Promise<{items: T[], total: number, limit: number, offset: number}>}
 */
async function paginate(db, query, page, order, serialize) {
  const counted = await db.count({ total: '*' }).from(query.clone().as('matching')).first();
  const rows = await order(query.clone()).limit(page.limit).offset(page.offset);
  return {
    items: rows.map(serialize),
    total: toCount(counted && counted.total),
    limit: page.limit,
    offset: page.offset,
  };
}

module.exports = { paginate };
