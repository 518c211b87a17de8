'use strict';
/** Calls to the compose stack through nginx, for the tests of test/integration/. */

/**
 * Send a JSON request; its status and JSON body (an error's too).
 * @param {string} baseUrl
 * @param {string} method
 * @param {string} route
 * @param {unknown} [body]
 * @param {Record<string, string>} [headers]
 */
async function call(baseUrl, method, route, body, headers = {}) {
  const response = await fetch(baseUrl + route, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

module.exports = { call };
