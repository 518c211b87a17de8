'use strict';
/**
 * TOTP multi-factor authentication (RFC 6238, core/totp.js) with single-use recovery codes.
 * @module services/mfa
 */
const crypto = require('node:crypto');

const { digest, seal, unseal } = require('../core/crypto');
const { Conflict, invalidField } = require('../core/errors');
const { verifyPassword } = require('../core/security');
const totp = require('../core/totp');
const { insert, isUniqueViolation, now } = require('../db');
const loginAttempts = require('./login_attempts');

const RECOVERY_CODE_COUNT = 10;
// Codes of the previous and the next time step are accepted too (clock drift).
const VALID_WINDOW = 1;

/**
 * @typedef {object} TotpCredential
 * @property {number} id
 * @property {number} user_id
 * @property {string} secret sealed
 * @property {Date | number | string | null} confirmed_at
 * @property {number | null} last_used_step
 */

/**
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @returns {Promise<TotpCredential | undefined>}
 */
function credentialOf(db, user) {
  return db('totp_credentials').where({ user_id: user.id }).first();
}

/**
 * Whether a user confirmed a TOTP authenticator (login then needs a code).
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 */
async function isEnabled(db, user) {
  const credential = await credentialOf(db, user);
  return Boolean(credential && credential.confirmed_at !== null);
}

/**
 * Start (or restart) enrolment with a new secret; MFA is on only once confirmed.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {import('../core/config').Settings} settings
 */
async function enroll(db, user, settings) {
  const credential = await credentialOf(db, user);
  if (credential && credential.confirmed_at !== null) {
    throw new Conflict('MFA is already on; turn it off first');
  }
  const secret = totp.randomSecret();
  const values = { secret: seal(secret, settings), last_used_step: null, created_at: now() };
  if (credential) {
    // Only an unconfirmed enrolment is restarted (a confirmation may have just won).
    const restarted = await db('totp_credentials')
      .where({ id: credential.id })
      .whereNull('confirmed_at')
      .update(values);
    if (restarted !== 1) throw new Conflict('MFA is already on; turn it off first');
  } else {
    try {
      await insert(db, 'totp_credentials', { user_id: user.id, confirmed_at: null, ...values });
    } catch (error) {
      // Two enrolments of one user raced; the other one won.
      if (isUniqueViolation(error)) {
        throw new Conflict('An enrolment is already in progress; try again');
      }
      throw error;
    }
  }
  return {
    secret,
    otpauth_uri: totp.provisioningUri(secret, user.email, settings.kind.mfaIssuer),
  };
}

/**
 * Turn MFA on with a current code; return the recovery codes (shown only now).
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {string} code
 * @param {import('../core/config').Settings} settings
 */
async function confirm(db, user, code, settings) {
  const credential = await credentialOf(db, user);
  if (!credential) {
    throw new Conflict('No MFA enrolment to confirm: start with POST /auth/mfa/enroll');
  }
  if (credential.confirmed_at !== null) throw new Conflict('MFA is already on');
  if (!(await acceptTotp(db, credential, compact(code), settings))) {
    throw invalidField('code', 'Invalid or expired code');
  }
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.transaction(async (trx) => {
    const confirmed = await trx('totp_credentials')
      .where({ id: credential.id })
      .whereNull('confirmed_at')
      .update({ confirmed_at: now() });
    if (confirmed !== 1) throw new Conflict('MFA is already on');
    await trx('recovery_codes').where({ user_id: user.id }).delete();
    const time = now();
    await trx('recovery_codes').insert(
      codes.map((recovery) => ({
        user_id: user.id,
        code_hash: recoveryDigest(user, recovery, settings),
        used_at: null,
        created_at: time,
      })),
    );
  });
  return { recovery_codes: codes };
}

/**
 * Check a TOTP code or a recovery code of a user with MFA on; either works once.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {string} code
 * @param {import('../core/config').Settings} settings
 */
async function acceptCode(db, user, code, settings) {
  const credential = await credentialOf(db, user);
  if (!credential || credential.confirmed_at === null) return false;
  const digits = compact(code);
  if (new RegExp(`^[0-9]{${totp.DIGITS}}$`).test(digits)) {
    return acceptTotp(db, credential, digits, settings);
  }
  return useRecoveryCode(db, user, code, settings);
}

/**
 * Turn MFA off with the password and a code; failures count as failed logins.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {{password: string, otp_code: string}} data
 * @param {import('../core/config').Settings} settings
 */
async function disable(db, user, data, settings) {
  if (!(await isEnabled(db, user))) throw new Conflict('MFA is not on');
  const attempt = await loginAttempts.begin(db, user.email, settings);
  if (!(await verifyPassword(data.password, user.password_hash))) {
    throw invalidField('password', 'Incorrect password');
  }
  if (!(await acceptCode(db, user, data.otp_code, settings))) {
    throw invalidField('otp_code', 'Invalid or expired code');
  }
  await loginAttempts.discard(db, attempt);
  await db.transaction(async (trx) => {
    await trx('recovery_codes').where({ user_id: user.id }).delete();
    await trx('totp_credentials').where({ user_id: user.id }).delete();
  });
}

/** @param {string} code */
function compact(code) {
  return code.replace(/\s+/g, '');
}

/**
 * @param {import('knex').Knex} db
 * @param {TotpCredential} credential
 * @param {string} code
 * @param {import('../core/config').Settings} settings
 */
async function acceptTotp(db, credential, code, settings) {
  const secret = unseal(credential.secret, settings);
  if (secret === null) return false; // sealed under another SECRET_KEY
  const step = totp.matchingStep(secret, code, VALID_WINDOW);
  if (step === null) return false;
  // A code works once: only a later time step than the last accepted one may pass,
  // and of two concurrent uses of one code only one can move the step forward.
  const moved = await db('totp_credentials')
    .where({ id: credential.id })
    .where((query) => query.whereNull('last_used_step').orWhere('last_used_step', '<', step))
    .update({ last_used_step: step });
  return moved === 1;
}

function newRecoveryCode() {
  const raw = crypto.randomBytes(5).toString('hex');
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/**
 * @param {import('./users').UserRow} user
 * @param {string} code
 * @param {import('../core/config').Settings} settings
 */
function recoveryDigest(user, code, settings) {
  const normalized = code.toLowerCase().replaceAll('-', '').replace(/\s+/g, '');
  return digest(`${user.id}:${normalized}`, settings, 'recovery-code');
}

/**
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {string} code
 * @param {import('../core/config').Settings} settings
 */
async function useRecoveryCode(db, user, code, settings) {
  const used = await db('recovery_codes')
    .where({ user_id: user.id, code_hash: recoveryDigest(user, code, settings) })
    .whereNull('used_at')
    .update({ used_at: now() });
  return used === 1;
}

module.exports = { RECOVERY_CODE_COUNT, isEnabled, enroll, confirm, acceptCode, disable };
