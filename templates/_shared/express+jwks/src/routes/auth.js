'use strict';
/**
 * No routes: accounts sign up, sign in, refresh and sign out at the issuer
 * (auth-service), whose access tokens this service trusts (core/jwks.js).
 * @module routes/auth
 */

/** @param {import('../http/registry').Registry} _api */
module.exports = function register(_api) {};
