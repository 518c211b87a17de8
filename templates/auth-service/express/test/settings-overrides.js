'use strict';
/**
 * Settings the auth-service tests add: a signing key made for this run, no key files
 * (rotation tests give files of their own; nothing reads the project's secrets/), the
 * iss and aud of the access tokens.
 */
const { newPrivateKey } = require('../src/core/keys');

module.exports = {
  JWT_PRIVATE_KEY: newPrivateKey(),
  JWT_PRIVATE_KEY_FILE: '/nonexistent/jwt_private_key.pem',
  JWT_PREVIOUS_KEYS_FILE: '/nonexistent/jwt_previous_keys.json',
  JWT_ISSUER: 'https://auth.example.com',
  JWT_AUDIENCE: 'test-services',
};
