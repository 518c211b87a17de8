'use strict';
/**
 * node:test's describe, it and hooks, for suites that may not be able to run here.
 *
 * node:test's own `describe(name, { skip: reason }, fn)` never declares the suite's
 * tests: a run without a database server reported "tests 0, skipped 0" and passed.
 * Here a skipped suite still declares each of its tests, each skipped with the reason,
 * so that the runner counts and prints every one; the suite's hooks are left out, as
 * there is nothing to set up for tests that do not run.
 */
const test = require('node:test');

/** The skip reason of the suite being declared, if it is skipped. */
let skipping = /** @type {string | false} */ (false);

/**
 * @param {unknown[]} args  name, options, fn (each optional, in node:test's order)
 * @returns {[string | undefined, Record<string, unknown>, import('node:test').TestFn | undefined]}
 */
function split(args) {
  const name = typeof args[0] === 'string' ? /** @type {string} */ (args.shift()) : undefined;
  const options =
    args[0] && typeof args[0] === 'object' ? { .../** @type {object} */ (args.shift()) } : {};
  return [name, options, /** @type {import('node:test').TestFn | undefined} */ (args[0])];
}

/**
 * A suite; with `{ skip: reason }` its tests are declared skipped, with that reason.
 * @param {...any} args  name, options, fn
 */
function describe(...args) {
  const [name, { skip, ...options }, fn] = split(args);
  const reason = skip ? (typeof skip === 'string' ? skip : 'skipped') : false;
  return test.describe(name, options, (/** @type {import('node:test').SuiteContext} */ suite) => {
    const outer = skipping;
    skipping = skipping || reason;
    try {
      return /** @type {import('node:test').SuiteFn | undefined} */ (fn)?.(suite);
    } finally {
      skipping = outer;
    }
  });
}

/**
 * A test, skipped with its suite's reason when the suite is skipped.
 * @param {...any} args  name, options, fn
 */
function it(...args) {
  const [name, options, fn] = split(args);
  return test.it(name, skipping ? { ...options, skip: skipping } : options, fn);
}

/**
 * A hook that is not registered in a skipped suite.
 * @param {(...hookArgs: any[]) => void} register
 */
function hook(register) {
  return (/** @type {any[]} */ ...hookArgs) => (skipping ? undefined : register(...hookArgs));
}

module.exports = {
  describe,
  it,
  before: hook(test.before),
  after: hook(test.after),
  beforeEach: hook(test.beforeEach),
  afterEach: hook(test.afterEach),
};
