'use strict';
/**
 * Ledger and balance shapes.
 * @module schemas/ledger
 */
const { z } = require('zod');

const { currency } = require('../core/money');
const { pageQuery } = require('./common');
const { queryId } = require('./payments');

/** A ledger entry: +amount for a charge, -amount for a refund. */
const ledgerEntryPublic = z.object({
  id: z.number().int(),
  owner_id: z.number().int(),
  type: z.enum(['charge', 'refund']),
  amount: z.number().int(),
  currency: z.string(),
  payment_id: z.number().int(),
  refund_id: z.number().int().nullable(),
  created_at: z.iso.datetime(),
});

/** Filters of GET /ledger (newest first). */
const ledgerQuery = pageQuery.extend({
  currency: currency.optional(),
  payment_id: queryId.optional(),
});

/** The money of one currency: captured minus refunded is net. */
const currencyBalance = z.object({
  currency: z.string(),
  captured: z.number().int(),
  refunded: z.number().int(),
  net: z.number().int(),
});

/** One entry per currency that has a ledger entry, by currency code (not paginated). */
const balance = z.object({ balances: z.array(currencyBalance) });

module.exports = { ledgerEntryPublic, ledgerQuery, currencyBalance, balance };
