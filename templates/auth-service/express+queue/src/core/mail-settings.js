'use strict';
/**
 * Settings of the outbox's delivery by mail (feature "queue"; core/kind-settings.js
 * merges them): the SMTP server, the sender, how often and how patiently to try.
 * @module core/mail-settings
 */
const { z } = require('zod');

const { parseMailbox, parseSmtpUrl } = require('./mail');

const shape = {
  // smtp://[user:password@]host[:port] (STARTTLS per SMTP_STARTTLS), smtps:// (TLS from
  // the start); empty: nothing is sent, the messages stay pending in the outbox.
  SMTP_URL: z
    .string()
    .default('')
    .superRefine((value, ctx) => {
      if (!value) return;
      try {
        parseSmtpUrl(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: /** @type {Error} */ (error).message });
      }
    }),
  // On smtp://: `auto` upgrades when the server offers STARTTLS, `always` sends nothing
  // without it, `never` stays in plain text.
  SMTP_STARTTLS: z.enum(['auto', 'always', 'never']).default('auto'),
  // The sender: an address, or `Name <address>`.
  MAIL_FROM: z
    .string()
    .default('no-reply@localhost')
    .superRefine((value, ctx) => {
      try {
        parseMailbox(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: /** @type {Error} */ (error).message });
      }
    }),
  // Attempts of one message before it is `failed` (and its job in the failed set).
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  // The wait before the second attempt; it doubles after each failure.
  MAIL_BACKOFF_SECONDS: z.coerce.number().min(0).max(86400).default(30),
};

/**
 * @typedef {object} MailSettings
 * @property {string} smtpUrl
 * @property {'auto' | 'always' | 'never'} smtpStarttls
 * @property {string} mailFrom
 * @property {number} maxAttempts
 * @property {number} backoffSeconds
 */

/**
 * @param {Record<string, any>} env the parsed environment
 * @returns {{mail: Readonly<MailSettings>}}
 */
function map(env) {
  return {
    mail: Object.freeze({
      smtpUrl: env.SMTP_URL,
      smtpStarttls: env.SMTP_STARTTLS,
      mailFrom: env.MAIL_FROM,
      maxAttempts: env.MAIL_MAX_ATTEMPTS,
      backoffSeconds: env.MAIL_BACKOFF_SECONDS,
    }),
  };
}

module.exports = { shape, map };
