'use strict';
/**
 * Warehouse shapes: create, rename, read.
 * @module schemas/warehouses
 */
const { z } = require('zod');

const { text } = require('./common');
const { code } = require('./fields');

const name = text({ min: 1, max: 200 });

/** A new warehouse: a unique code and a name. */
const warehouseCreate = z.strictObject({ code, name });

/** A new name; the code cannot change. */
const warehouseUpdate = z.strictObject({ name: name.optional() });

/** A warehouse as the API shows it. */
const warehousePublic = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  created_at: z.iso.datetime(),
});

module.exports = { warehouseCreate, warehouseUpdate, warehousePublic };
