'use strict';
/**
 * A reporter of node:test (--test-reporter=./test/skip-log.js): one JSON line per test
 * that ran or was skipped, `{"skip": reason | null}`, for test/run.js to count what did
 * not run, and why, in the run's last lines. Suites are not tests and are left out.
 * @param {AsyncIterable<{type: string, data: any}>} source
 */
module.exports = async function* skipLog(source) {
  for await (const { type, data } of source) {
    if ((type === 'test:pass' || type === 'test:fail') && data.details?.type !== 'suite') {
      const skip = data.skip === undefined || data.skip === false ? null : data.skip;
      yield `${JSON.stringify({ skip: skip === true ? 'skipped' : skip })}\n`;
    }
  }
};
