'use strict';
/**
 * TOTP multi-factor authentication of the signed-in user.
 * @module routes/mfa
 */
const { mfaCode, mfaDisable, mfaEnrollment, recoveryCodes } = require('../schemas/mfa');
const mfa = require('../services/mfa');

const CONFLICT = 'MFA is (not) on already';

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'POST',
      path: '/auth/mfa/enroll',
      summary: 'Start TOTP enrolment: a secret and an otpauth URI',
      auth: 'user',
      response: mfaEnrollment,
      errors: { 409: CONFLICT },
    },
    ({ db, settings, user }) => mfa.enroll(db, user, settings),
  );
  api.route(
    {
      method: 'POST',
      path: '/auth/mfa/confirm',
      summary: 'Confirm TOTP with a code; answers 10 single-use recovery codes, once',
      auth: 'user',
      body: mfaCode,
      response: recoveryCodes,
      errors: { 409: CONFLICT },
    },
    ({ db, settings, user, body }) => mfa.confirm(db, user, body.code, settings),
  );
  api.route(
    {
      method: 'POST',
      path: '/auth/mfa/disable',
      summary: 'Turn MFA off (password and a TOTP or recovery code)',
      auth: 'user',
      body: mfaDisable,
      status: 204,
      errors: { 409: CONFLICT, 429: 'Too many failed attempts (see Retry-After)' },
    },
    ({ db, settings, user, body }) => mfa.disable(db, user, body, settings),
  );
};
