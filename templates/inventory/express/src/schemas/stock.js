'use strict';
/**
 * Stock shapes: levels, movements to record, the ledger and its filters.
 * @module schemas/stock
 */
const { z } = require('zod');

const { id, pageQuery, text } = require('./common');
const { MAX_QUANTITY, queryId } = require('./fields');

const MAX_REASON_LENGTH = 500;
const TYPES = /** @type {const} */ (['receive', 'ship', 'adjust', 'transfer']);
const SINGLE_WAREHOUSE = new Set(['receive', 'ship', 'adjust']);

const type = z.enum(TYPES);

/**
 * A movement to record. receive, ship and adjust name a warehouse_id; a transfer names
 * from_warehouse_id and to_warehouse_id. quantity is a positive number of units,
 * except for an adjust: signed, not zero, and it needs a reason. Each rule that
 * concerns two fields names the field at fault.
 */
const movementCreate = z
  .strictObject({
    type,
    product_id: id,
    quantity: z.number().int().min(-MAX_QUANTITY).max(MAX_QUANTITY),
    warehouse_id: id.nullable().default(null),
    from_warehouse_id: id.nullable().default(null),
    to_warehouse_id: id.nullable().default(null),
    reason: text({ min: 1, max: MAX_REASON_LENGTH }).nullable().default(null),
  })
  .superRefine((data, ctx) => {
    /** @param {string} field @param {string} message */
    const fail = (field, message) => ctx.addIssue({ code: 'custom', path: [field], message });
    const single = SINGLE_WAREHOUSE.has(data.type);
    if (data.quantity === 0) fail('quantity', 'must not be zero');
    else if (data.quantity < 0 && data.type !== 'adjust') {
      fail('quantity', 'must be positive (only an adjust may be negative)');
    }
    if (single && data.warehouse_id === null)
      fail('warehouse_id', `is required for a ${data.type}`);
    if (!single && data.warehouse_id !== null) {
      fail('warehouse_id', 'is not used by a transfer (it takes from_ and to_warehouse_id)');
    }
    for (const field of /** @type {const} */ (['from_warehouse_id', 'to_warehouse_id'])) {
      if (!single && data[field] === null) fail(field, 'is required for a transfer');
      if (single && data[field] !== null) {
        fail(field, 'is only used by a transfer: give warehouse_id');
      }
    }
    if (data.to_warehouse_id !== null && data.to_warehouse_id === data.from_warehouse_id) {
      fail('to_warehouse_id', 'must differ from from_warehouse_id');
    }
    if (data.type === 'adjust' && data.reason === null) fail('reason', 'is required for an adjust');
  });

/** One entry of the ledger: quantity is the signed change of one level. */
const movementPublic = z.object({
  id: z.number().int(),
  type,
  product_id: z.number().int(),
  warehouse_id: z.number().int(),
  quantity: z.number().int(),
  reason: z.string().nullable(),
  transfer_id: z.string().nullable(),
  counterpart_warehouse_id: z.number().int().nullable(),
  created_by_id: z.number().int(),
  created_at: z.iso.datetime(),
});

/** How many units of a product one warehouse holds. */
const stockLevelPublic = z.object({
  product_id: z.number().int(),
  warehouse_id: z.number().int(),
  quantity: z.number().int(),
  updated_at: z.iso.datetime(),
});

/** What POST /movements wrote: its movements (two for a transfer) and the levels after. */
const movementReceipt = z.object({
  movements: z.array(movementPublic),
  levels: z.array(stockLevelPublic),
});

/** Filters of GET /stock. */
const stockQuery = pageQuery.extend({
  product_id: queryId.optional(),
  warehouse_id: queryId.optional(),
});

/** Filters of GET /movements. */
const movementQuery = pageQuery.extend({
  product_id: queryId.optional(),
  warehouse_id: queryId.optional(),
  type: type.optional(),
});

module.exports = {
  TYPES,
  movementCreate,
  movementPublic,
  stockLevelPublic,
  movementReceipt,
  stockQuery,
  movementQuery,
};
