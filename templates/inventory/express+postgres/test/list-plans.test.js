'use strict';
/**
 * Every filter of GET /products, /stock and /movements has an index at 100k rows (PostgreSQL).
 * The cases are test/list_plans.json; the check is test/list-plans.js.
 */
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { checkLists } = require('./list-plans');
const { skipReason, startApp } = require('./support');

describe('product, stock and movement list plans', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  it('plans every filter and sort of the inventory lists on an index', async () => {
    const findings = await checkLists(ctx);
    assert.equal(findings.length, 0, findings.join('\n\n'));
  });
});
