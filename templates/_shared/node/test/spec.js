'use strict';
const { Readable } = require('node:stream');
const { spec } = require('node:test/reporters');

/**
 * node's spec reporter without node's coverage table (--test-reporter=./test/spec.js):
 * that table counts every file a run loaded, the tests' own included, while `npm run
 * coverage` reports and gates the lines of the folders package.json's "coverage" names
 * (test/run.js); the two totals side by side would disagree.
 * @param {AsyncIterable<{type: string}>} source
 */
module.exports = async function* specWithoutCoverage(source) {
  async function* events() {
    for await (const event of source) if (event.type !== 'test:coverage') yield event;
  }
  yield* Readable.from(events()).pipe(new spec());
};
