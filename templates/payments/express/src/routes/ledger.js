'use strict';
/**
 * The balance and the ledger entries it adds up from.
 * @module routes/ledger
 */
const { sendExactJson } = require('../core/exact-json');
const { balance, ledgerEntryPublic, ledgerQuery } = require('../schemas/ledger');
const { pageOf } = require('../schemas/common');
const ledger = require('../services/ledger');

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/balance',
      summary: 'Your balance per currency: captured, refunded and net',
      auth: 'user',
      response: balance,
    },
    async ({ res, db, user }) => sendExactJson(res, await ledger.balance(db, user)),
  );
  api.route(
    {
      method: 'GET',
      path: '/ledger',
      summary: 'List your ledger entries, newest first, filtered by currency or payment',
      auth: 'user',
      query: ledgerQuery,
      response: pageOf(ledgerEntryPublic),
    },
    ({ db, user, query }) => ledger.listEntries(db, user, query),
  );
};
