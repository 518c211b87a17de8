'use strict';
/**
 * A reporter of node:test (--test-reporter=./test/coverage-log.js), for runs with
 * --experimental-test-coverage: one JSON line per file the run loaded, `{"path",
 * "lines", "covered"}`, test files and child processes included, for test/run.js to
 * sum over the folders package.json's "coverage" names and to hold the gate.
 * @param {AsyncIterable<{type: string, data: any}>} source
 */
module.exports = async function* coverageLog(source) {
  for await (const { type, data } of source) {
    if (type !== 'test:coverage') continue;
    for (const file of data.summary.files) {
      const line = { path: file.path, lines: file.totalLineCount, covered: file.coveredLineCount };
      yield `${JSON.stringify(line)}\n`;
    }
  }
};
