'use strict';
/**
 * The feature "jwks" joins no hook: a request's token is checked where the express
 * layer checks its own (services/auth.js, replaced by this feature's), against the
 * issuer's keys (core/jwks.js).
 * @module features/jwks
 */

/** @type {import('../features').Feature} */
module.exports = {};
