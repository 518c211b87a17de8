'use strict';
/**
 * The OpenAPI 3.1 document, built from the route registry and the zod schemas.
 * @module http/openapi
 */
const { z } = require('zod');

const { roleRequired } = require('./registry');

const ERROR_BODY = {
  type: 'object',
  properties: {
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, message: { type: 'string' } },
        required: ['field', 'message'],
      },
    },
  },
  required: ['detail'],
};

const STATUS_TEXT = /** @type {Record<number, string>} */ ({
  400: 'Bad request',
  401: 'Not authenticated',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  422: 'Validation failed',
  429: 'Too many requests',
  503: 'Unavailable',
});

/**
 * JSON Schema of a zod schema, as a request (input) or a response (output) has it.
 * @param {import('zod').ZodType} schema
 * @param {'input' | 'output'} io
 */
function jsonSchema(schema, io) {
  const { $schema: _ignored, ...rest } = /** @type {Record<string, unknown>} */ (
    z.toJSONSchema(schema, { io, unrepresentable: 'any' })
  );
  return rest;
}

/** @param {string} path @param {string} method */
function operationId(path, method) {
  const words = path
    .replace(/[{}]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [method.toLowerCase(), ...words].join('_');
}

/**
 * @param {import('./registry').RouteSpec} spec
 */
function parameters(spec) {
  const found = [];
  for (const match of spec.path.matchAll(/\{(\w+)\}/g)) {
    const name = match[1];
    const schema = name.endsWith('_id') ? { type: 'integer', minimum: 1 } : { type: 'string' };
    found.push({ name, in: 'path', required: true, schema });
  }
  for (const { name, description, required = false } of spec.headers || []) {
    found.push({ name, in: 'header', required, description, schema: { type: 'string' } });
  }
  const query = /** @type {any} */ (spec.query);
  if (query && query.shape) {
    for (const [name, field] of Object.entries(query.shape)) {
      found.push({ name, in: 'query', required: false, schema: jsonSchema(field, 'output') });
    }
  }
  return found;
}

/**
 * Build the document for the registered routes.
 * @param {import('./registry').Registry} registry
 * @param {{title: string, version: string, description?: string}} info
 */
function buildDocument(registry, info) {
  /** @type {Record<string, Record<string, unknown>>} */
  const paths = {};
  for (const { spec } of registry.routes) {
    const status = spec.status ?? 200;
    /** @type {Record<string, unknown>} */
    const responses = {
      [status]:
        status === 204 || !spec.response
          ? { description: 'Done' }
          : {
              description: 'OK',
              content: { 'application/json': { schema: jsonSchema(spec.response, 'output') } },
            },
    };
    const errors = { ...(spec.errors || {}) };
    if (spec.auth === 'user' || spec.auth === 'admin') errors[401] = STATUS_TEXT[401];
    if (spec.auth === 'admin') errors[403] = 'Admin role required';
    if (spec.roles) errors[403] = roleRequired(spec);
    if (spec.body || spec.query) errors[422] = STATUS_TEXT[422];
    for (const [code, description] of Object.entries(errors)) {
      responses[code] = {
        description,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
      };
    }
    /** @type {Record<string, unknown>} */
    const operation = {
      summary: spec.summary,
      operationId: operationId(spec.path, spec.method),
      tags: [spec.tag || spec.path.split('/')[1]],
      parameters: parameters(spec),
      responses,
    };
    if (spec.auth === 'user' || spec.auth === 'admin') operation.security = [{ bearer: [] }];
    if (spec.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } },
      };
    }
    paths[spec.path] = { ...paths[spec.path], [spec.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { ErrorBody: ERROR_BODY },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

module.exports = { buildDocument };
