'use strict';
/**
 * The feature "jwks" on starting: each worker fetches the issuer's JWKS at once, so that
 * what reads a token before its route does (the rate limit, through core/keys.js) knows
 * the issuer's keys from the first requests. The token itself is checked where the
 * express layer checks its own (services/auth.js, replaced by this feature's).
 * @module features/jwks
 */
const { keySet } = require('../core/jwks');

/** @type {import('../features').Feature} */
module.exports = {
  mount(_app, { settings }) {
    // Never rejects: a failed fetch leaves the next request to try (core/jwks.js).
    void keySet(settings).refresh();
  },
};
