'use strict';
/**
 * The public keys other services verify tokens with.
 * @module routes/jwks
 */
const keys = require('../core/keys');
const { jwks } = require('../schemas/jwks');

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/.well-known/jwks.json',
      summary: 'The public keys that verify tokens (JWKS)',
      auth: 'public',
      response: jwks,
    },
    ({ res, settings }) => {
      // Verifiers may cache the set briefly; a rotation keeps the old key published.
      res.set('Cache-Control', 'public, max-age=300');
      return keys.jwks(settings);
    },
  );
};
