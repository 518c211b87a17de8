'use strict';
/**
 * Every filter and sort of GET /tasks is served by an index at 100k tasks (PostgreSQL).
 * The cases are test/list_plans.json; the check is test/list-plans.js.
 */
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('./suites');

const { checkLists } = require('./list-plans');
const { skipReason, startApp } = require('./support');

describe('task list plans', { skip: skipReason() }, () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let ctx;
  before(async () => {
    ctx = await startApp();
  });
  after(() => ctx.close());

  it('plans every filter and sort of the task list on an index', async () => {
    const findings = await checkLists(ctx);
    assert.equal(findings.length, 0, findings.join('\n\n'));
  });
});
