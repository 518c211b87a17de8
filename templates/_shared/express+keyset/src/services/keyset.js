'use strict';
/**
 * Keyset (cursor) pagination beside limit/offset, and a total that stays cheap.
 *
 * A page asked with ?cursor= starts after the row the cursor names: the cursor holds
 * that row's sort keys and id, and the page's query gains (keys, id) > (values) (< for
 * a descending sort), which the sort's index serves at any depth. The cursor is opaque
 * to clients: base64url of a JSON array [sort, key values..., id]. It is not signed: it
 * only moves where a page starts, inside the rows the caller may see anyway; anything
 * that does not decode to the keys of the query's sort is a 422. `total` counts the
 * matching rows up to COUNT_CAP. See docs/pagination.md of the toolkit.
 * @module services/keyset
 */
const { ValidationFailed } = require('../core/errors');
const { toCount } = require('../db');

/** `total` is exact up to this count; a list with more matching rows reports it. */
const COUNT_CAP = 10000;
const MAX_CURSOR_LENGTH = 1024;

/**
 * One sort key: its SQL, its value on a row (JSON-ready), how to read it back from a
 * cursor (throws on a wrong value) and whether it always sorts ascending.
 * @typedef {{sql: string, value: (row: any) => any, parse: (value: any) => any, ascending?: boolean}} Key
 */

// How a cursor's values are read back: each throws on a value of the wrong type.

/** @param {any} value */
function parseTimestamp(value) {
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value)) {
    throw new Error('not a timestamp');
  }
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new Error('not a timestamp');
  return parsed;
}

/** @param {any} value */
function parseDate(value) {
  if (value === null) return null;
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(value)) throw new Error('not a date');
  return value;
}

/** @param {any} value */
function parseText(value) {
  if (typeof value !== 'string') throw new Error('not a string');
  return value;
}

/** @param {any} value */
function parseBoolean(value) {
  if (typeof value !== 'boolean') throw new Error('not a boolean');
  return value;
}

/** @param {any} value */
function parseRowId(value) {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error('not an id');
  return value;
}

/** @param {string} message */
function invalid(message) {
  return new ValidationFailed([{ field: 'cursor', message }]);
}

/**
 * The cursor of the page that starts after a row.
 * @param {string} sort
 * @param {Key[]} keys
 * @param {any} row
 */
function encodeCursor(sort, keys, row) {
  const values = [sort, ...keys.map((key) => key.value(row))];
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * The key values of a cursor (a 422 for anything not made for this sort).
 * @param {string} cursor
 * @param {string} sort
 * @param {Key[]} keys
 */
function decodeCursor(cursor, sort, keys) {
  if (cursor.length > MAX_CURSOR_LENGTH) throw invalid('Cursor too long');
  let values;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('Not a cursor of this list');
  }
  if (!Array.isArray(values) || values.length !== keys.length + 1) {
    throw invalid('Not a cursor of this list');
  }
  if (values[0] !== sort) throw invalid('The cursor belongs to another sort order');
  try {
    return keys.map((key, index) => key.parse(values[index + 1]));
  } catch {
    throw invalid('Not a cursor of this list');
  }
}

/**
 * The ORDER BY of the keys.
 * @param {import('knex').Knex.QueryBuilder} query
 * @param {Key[]} keys
 * @param {boolean} descending
 */
function orderBy(query, keys, descending) {
  for (const key of keys) {
    query.orderByRaw(`${key.sql} ${descending && !key.ascending ? 'DESC' : 'ASC'}`);
  }
  return query;
}

/**
 * A value as the driver binds it: SQLite and MySQL have no booleans (1 and 0).
 * @param {import('knex').Knex} db
 * @param {any} value
 */
function bound(db, value) {
  if (typeof value !== 'boolean') return value;
  return db.client.config.client === 'pg' ? value : Number(value);
}

/**
 * Restrict a query to the rows after the row whose keys are `values`. Consecutive keys
 * of one direction compare as one row value, (a, b) > (x, y), which an index on (a, b)
 * serves as a range; a key that changes direction (the due date's nulls-last key)
 * splits the comparison into OR branches; a null value (no due date) is compared by
 * IS NULL.
 * @param {import('knex').Knex} db
 * @param {import('knex').Knex.QueryBuilder} query
 * @param {Key[]} keys
 * @param {any[]} values
 * @param {boolean} descending
 */
function after(db, query, keys, values, descending) {
  /** @type {{down: boolean, pairs: [Key, any][]}[]} */
  const groups = [];
  keys.forEach((key, index) => {
    const down = descending && !key.ascending;
    const last = groups[groups.length - 1];
    if (last && last.down === down) last.pairs.push([key, values[index]]);
    else groups.push({ down, pairs: [[key, values[index]]] });
  });
  return query.where((outer) => {
    /** @type {{sql: string, bindings: any[]}[]} */
    const equal = [];
    for (const { down, pairs } of groups) {
      const nulls = pairs.filter(([, value]) => value === null).map(([key]) => key.sql);
      const kept = pairs.filter(([, value]) => value !== null);
      const left = kept.map(([key]) => `(${key.sql})`).join(', ');
      const marks = kept.map(() => '?').join(', ');
      const compare = {
        sql: `(${left}) ${down ? '<' : '>'} (${marks})`,
        bindings: kept.map(([, value]) => bound(db, value)),
      };
      const prefix = [...equal, ...nulls.map((sql) => ({ sql: `${sql} IS NULL`, bindings: [] }))];
      outer.orWhere((branch) => {
        for (const condition of [...prefix, compare]) {
          branch.whereRaw(condition.sql, condition.bindings);
        }
      });
      equal.push(...nulls.map((sql) => ({ sql: `${sql} IS NULL`, bindings: [] })));
      equal.push(
        ...kept.map(([key, value]) => ({ sql: `(${key.sql}) = ?`, bindings: [bound(db, value)] })),
      );
    }
  });
}

/**
 * How many rows the disjoint parts match together, counted up to the cap:
 * `SELECT count(*) FROM (part UNION ALL part ... LIMIT cap)`. The database reads the
 * parts one after the other and stops at COUNT_CAP rows, each part by its own index
 * (one part: no UNION).
 * @param {import('knex').Knex} db
 * @param {import('knex').Knex.QueryBuilder[]} parts
 */
async function cappedCount(db, parts) {
  const [first, ...others] = parts.map((part) =>
    part.clone().clearSelect().clearOrder().select(db.raw('1 AS one')),
  );
  if (others.length) first.unionAll(others);
  const matching = first.limit(COUNT_CAP);
  const counted = await db.count({ total: '*' }).from(matching.as('matching')).first();
  return toCount(counted && counted.total);
}

/**
 * One page of a query by offset or after a cursor: its rows, the total counted up to
 * COUNT_CAP, and the cursor of the next page (null on the last page).
 * @template T
 * @param {import('knex').Knex} db
 * @param {import('knex').Knex.QueryBuilder} query the filtered query, without order
 * @param {{limit: number, offset: number, cursor?: string, sort: string}} page
 * @param {boolean} offsetGiven whether the request named an offset
 * @param {Key[]} keys the sort's keys, ascending
 * @param {(row: any) => T} serialize
 * @param {import('knex').Knex.QueryBuilder[]} [counted] the query as disjoint parts whose
 *   union it is, for the total (cappedCount); else the total counts the query
 */
async function paginateKeyset(db, query, page, offsetGiven, keys, serialize, counted) {
  if (page.cursor !== undefined && offsetGiven) {
    throw invalid('Give either a cursor or an offset, not both');
  }
  const descending = page.sort.startsWith('-');
  const paged = orderBy(query.clone(), keys, descending).limit(page.limit + 1);
  if (page.cursor !== undefined) {
    after(db, paged, keys, decodeCursor(page.cursor, page.sort, keys), descending);
  } else {
    paged.offset(page.offset);
  }
  const total = await cappedCount(db, counted || [query]);
  const rows = await paged;
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit);
  return {
    items: items.map(serialize),
    total,
    limit: page.limit,
    offset: page.offset,
    next_cursor: more ? encodeCursor(page.sort, keys, items[items.length - 1]) : null,
  };
}

module.exports = {
  COUNT_CAP,
  paginateKeyset,
  parseBoolean,
  parseDate,
  parseRowId,
  parseText,
  parseTimestamp,
};
