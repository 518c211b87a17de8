'use strict';
/**
 * The list endpoints' query plans at 100k rows: every documented filter and sort has
 * an index.
 *
 * The kind describes its lists once, in test/list_plans.json: the SQL that seeds the
 * tables in bulk (generate_series, in seconds), and for each list's main table the
 * paths of each documented filter and sort. For each path, as a user and as an admin,
 * the check calls the API, captures the SQL knex runs on that table (its query event)
 * and asks PostgreSQL for its plan with the same bindings: a sequential scan of the
 * table is a finding, naming the path and showing the plan (except the count of an
 * unfiltered list, which reads every row whichever way: countsEveryRow, and a count an
 * index serves that PostgreSQL rightly counts by reading the table: countsMostRows).
 */
const fs = require('node:fs');
const path = require('node:path');

const { makeAdmin, signUp } = require('./support');

const SPEC = JSON.parse(fs.readFileSync(path.join(__dirname, 'list_plans.json'), 'utf8'));

/**
 * Every node of a JSON plan.
 * @param {any} plan
 * @returns {Generator<Record<string, any>>}
 */
function* nodes(plan) {
  if (Array.isArray(plan)) {
    for (const item of plan) yield* nodes(item);
  } else if (plan && typeof plan === 'object') {
    yield plan;
    for (const value of Object.values(plan)) yield* nodes(value);
  }
}

/**
 * The nodes of `plan` that read `table` sequentially.
 * @param {any} plan
 * @param {string} table
 */
function sequentialScans(plan, table) {
  return [...nodes(plan)].filter(
    (node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === table,
  );
}

/**
 * Whether `plan` is an exempt count: an aggregate (under a Limit, maybe: knex's first())
 * over unfiltered scans, as no index makes counting every row cheaper than reading them.
 * A filtered count, capped or not, is exempt only through countsMostRows: its filter
 * must have an index (docs/list-indexes.md, docs/pagination.md).
 * @param {any} plan
 * @param {string} table
 */
function countsEveryRow(plan, table) {
  let top = plan[0].Plan;
  while (top['Node Type'] === 'Limit') top = top.Plans[0];
  if (top['Node Type'] !== 'Aggregate') return false;
  return sequentialScans(plan, table).every((node) => !('Filter' in node));
}

/**
 * The plan's nodes, one a line, indented: type, relation, index, conditions.
 * @param {any} plan
 */
function outline(plan) {
  /** @type {string[]} */
  const lines = [];
  /**
   * @param {Record<string, any>} node
   * @param {number} depth
   */
  function walk(node, depth) {
    const parts = [node['Node Type']];
    if ('Relation Name' in node) parts.push(`on ${node['Relation Name']}`);
    if ('Index Name' in node) parts.push(`using ${node['Index Name']}`);
    for (const key of ['Index Cond', 'Recheck Cond', 'Filter', 'Sort Key']) {
      if (key in node) parts.push(`${key}: ${JSON.stringify(node[key])}`);
    }
    lines.push('  '.repeat(depth) + parts.join(' '));
    for (const child of node.Plans || []) walk(child, depth + 1);
  }
  for (const top of plan) walk(top.Plan, 0);
  return lines.join('\n');
}

/**
 * Whether a statement reads `table`.
 * @param {string} sql
 * @param {string} table
 */
function reads(sql, table) {
  const text = ` ${sql.toLowerCase().replace(/["\n]/g, ' ')} `;
  return text.trimStart().startsWith('select') && text.includes(` ${table} `);
}

/**
 * PostgreSQL's plan of a statement as knex sent it to pg ($1, $2... and its bindings).
 * @param {import('knex').Knex} db
 * @param {string} sql
 * @param {any[]} bindings
 * @param {boolean} [seqscan] false: the plan PostgreSQL makes with sequential scans off
 */
async function explain(db, sql, bindings, seqscan = true) {
  const connection = await db.client.acquireConnection();
  try {
    await connection.query(`SET enable_seqscan = ${seqscan ? 'on' : 'off'}`);
    const result = await connection.query(`EXPLAIN (FORMAT JSON) ${sql}`, bindings);
    return result.rows[0]['QUERY PLAN'];
  } finally {
    await connection.query('RESET enable_seqscan');
    await db.client.releaseConnection(connection);
  }
}

/**
 * Whether `sql` counts rows an index finds but most of the table matches. A count
 * whose filter keeps most rows (every published post) is cheaper read from the table
 * than through an index: PostgreSQL plans it so. Asked again with sequential scans
 * off, it must find an index plan (the filter has its index), or this is no exemption
 * (docs/list-indexes.md).
 * @param {import('knex').Knex} db
 * @param {string} sql
 * @param {any[]} bindings
 * @param {string} table
 */
async function countsMostRows(db, sql, bindings, table) {
  const plan = await explain(db, sql, bindings, false);
  let top = plan[0].Plan;
  while (['Limit', 'Gather'].includes(top['Node Type'])) top = top.Plans[0];
  return top['Node Type'] === 'Aggregate' && !sequentialScans(plan, table).length;
}

/**
 * The findings of one call: its statements on `table` that scan it, or none run.
 * @param {import('knex').Knex} db
 * @param {string} table
 * @param {string} call
 * @param {{sql: string, bindings: any[]}[]} statements
 */
async function planned(db, table, call, statements) {
  const reading = statements.filter((s) => reads(s.sql, table));
  if (!reading.length) return [`no query on ${table}: ${call}`];
  const findings = [];
  for (const { sql, bindings } of reading) {
    const plan = await explain(db, sql, bindings);
    if (
      sequentialScans(plan, table).length &&
      !countsEveryRow(plan, table) &&
      !(await countsMostRows(db, sql, bindings, table))
    ) {
      findings.push(`Seq Scan on ${table}: ${call}\n${sql}\n${outline(plan)}`);
    }
  }
  return findings;
}

/**
 * Seed, then plan every documented list; return the findings (none when every list
 * is served by indexes). A path whose call ran no query on the table is a finding
 * too: a check that explained nothing would prove nothing.
 * @param {{app: import('express').Express, db: import('knex').Knex, settings: any,
 *   http: () => import('supertest').Agent}} ctx
 * @returns {Promise<string[]>}
 */
async function checkLists(ctx) {
  const users = [];
  for (let i = 0; i < SPEC.users; i += 1) users.push(await signUp(ctx.app));
  const admin = await makeAdmin(ctx);
  /** @type {Record<string, {Authorization: string}>} */
  const headers = { user: users[0].headers, admin: admin.headers };
  const me = String(users[0].id);
  const array = `ARRAY[${users.map((u) => u.id).join(', ')}]`;
  for (const statement of SPEC.seed) {
    await ctx.db.raw(statement.replaceAll('{users}', array).replaceAll('{me}', me));
  }
  await ctx.db.raw('ANALYZE');
  /** @type {Record<string, string>} */
  const values = {};
  for (const [name, sql] of Object.entries(SPEC.values)) {
    const result = await ctx.db.raw(String(sql).replaceAll('{me}', me));
    values[name] = String(Object.values(result.rows[0])[0]);
  }
  /** @type {{sql: string, bindings: any[]}[]} */
  let statements = [];
  /** @param {{sql: string, bindings?: any[]}} query */
  const record = (query) => statements.push({ sql: query.sql, bindings: query.bindings || [] });
  ctx.db.on('query', record);
  const findings = [];
  try {
    for (const [table, paths] of Object.entries(SPEC.lists)) {
      for (const template of /** @type {string[]} */ (paths)) {
        let listPath = template;
        for (const [name, value] of Object.entries(values)) {
          listPath = listPath.replaceAll(`{${name}}`, value);
        }
        for (const role of SPEC.as) {
          statements = [];
          const response = await ctx.http().get(listPath).set(headers[role]);
          if (response.status !== 200) {
            throw new Error(`${role} ${listPath}: ${response.status} ${response.text}`);
          }
          const call = `${role} ${listPath}`;
          findings.push(...(await planned(ctx.db, table, call, statements)));
        }
      }
    }
  } finally {
    ctx.db.removeListener('query', record);
  }
  return findings;
}

module.exports = { checkLists, countsEveryRow, sequentialScans };
