'use strict';
/**
 * The OpenAPI 3.1 document, built from the route registry and the zod schemas.
 *
 * It follows the rules every stack's document follows (FastAPI, Flask and Django
 * write them in core/openapi_document.py): an operation that needs a bearer token may
 * answer 401, one with a path parameter 404, one with a body, query string or header
 * to validate 422; every 4xx carries the common error body ({detail}, plus errors for
 * 422), and so does a 5xx that declares no body of its own; a path parameter ending in
 * _id is a positive integer; every operation but the liveness probe (GET /health)
 * may answer 503 while the database cannot be reached. The toolkit's contract suite
 * compares the document with one reference per kind.
 * @module http/openapi
 */
const { z } = require('zod');

const { ORDER, roleRequired } = require('./registry');

const ERROR_BODY = {
  type: 'object',
  description: 'Every error answer but 422: what went wrong, safe to show.',
  properties: { detail: { type: 'string' } },
  required: ['detail'],
};

const FIELD_ERROR = {
  type: 'object',
  description: 'One invalid field: its dotted name (or body, query) and why.',
  properties: { field: { type: 'string' }, message: { type: 'string' } },
  required: ['field', 'message'],
};

const VALIDATION_ERROR_BODY = {
  type: 'object',
  description: 'A 422 answer: the request is well formed but its content is invalid.',
  properties: {
    detail: { type: 'string' },
    errors: { type: 'array', items: { $ref: '#/components/schemas/FieldError' } },
  },
  required: ['detail', 'errors'],
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

/** zod's bounds of every integer (Number.MAX_SAFE_INTEGER): no bound of the API's own. */
const SAFE = Number.MAX_SAFE_INTEGER;
/** The one path that answers without the database. */
const LIVENESS = '/health';
/** Formats zod also spells out as a pattern; the format alone says it, as in every stack. */
const SPELLED_FORMATS = new Set(['date', 'date-time', 'email']);

/**
 * JSON Schema of a zod schema, as a request (input) or a response (output) has it.
 * @param {import('zod').ZodType} schema
 * @param {'input' | 'output'} io
 */
function jsonSchema(schema, io) {
  const { $schema: _ignored, ...rest } = /** @type {Record<string, unknown>} */ (
    z.toJSONSchema(schema, { io, unrepresentable: 'any' })
  );
  return tidy(rest, io);
}

/**
 * Drop what zod writes that the API does not promise: the safe-integer bounds, the
 * patterns behind formats, and (in responses) closed objects: a response may gain
 * fields, a request body refuses unknown ones.
 * @param {any} node
 * @param {'input' | 'output'} io
 * @returns {any}
 */
function tidy(node, io) {
  if (Array.isArray(node)) return node.map((item) => tidy(item, io));
  if (!node || typeof node !== 'object') return node;
  /** @type {Record<string, unknown>} */
  const result = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'minimum' && value === -SAFE) || (key === 'maximum' && value === SAFE)) continue;
    if (key === 'pattern' && SPELLED_FORMATS.has(node.format)) continue;
    if (key === 'additionalProperties' && value === false && io === 'output') continue;
    result[key] = tidy(value, io);
  }
  return result;
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
  for (const { name, description, required = false, schema } of spec.headers || []) {
    found.push({ name, in: 'header', required, description, schema: schema || { type: 'string' } });
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
 * The error answers of an operation: those it declares, and those every operation
 * of its kind may give.
 * @param {import('./registry').RouteSpec} spec
 * @returns {Record<string, any>}
 */
function errorAnswers(spec) {
  /** @type {Record<number, string | {description: string, body: import('zod').ZodType}>} */
  const errors = { ...(spec.errors || {}) };
  const signedIn = spec.auth === 'user' || spec.auth === 'admin' || spec.auth === 'optional';
  if (signedIn) errors[401] ??= STATUS_TEXT[401];
  if (spec.auth === 'admin') errors[403] ??= 'Admin role required';
  if (spec.roles) errors[403] ??= roleRequired(spec);
  if (/\{\w+\}/.test(spec.path)) errors[404] ??= STATUS_TEXT[404];
  if (spec.body || spec.query || (spec.headers && spec.headers.length)) {
    errors[422] ??= STATUS_TEXT[422];
  }
  // Everything but the liveness probe may find the database unreachable.
  if (spec.path !== LIVENESS) errors[503] ??= STATUS_TEXT[503];
  /** @type {Record<string, any>} */
  const answers = {};
  for (const [code, declared] of Object.entries(errors)) {
    const described = typeof declared === 'string' ? { description: declared } : declared;
    const schema =
      'body' in described && described.body
        ? jsonSchema(described.body, 'output')
        : { $ref: `#/components/schemas/${code === '422' ? 'ValidationErrorBody' : 'ErrorBody'}` };
    answers[code] = {
      description: described.description,
      content: { 'application/json': { schema } },
    };
  }
  return answers;
}

/**
 * Build the document for the registered routes.
 * @param {import('./registry').Registry} registry
 * @param {{title: string, version: string, description?: string}} info
 */
function buildDocument(registry, info) {
  /** @type {Record<string, Record<string, unknown>>} */
  const paths = {};
  const routes = [...registry.routes].sort(
    (a, b) => ORDER.indexOf(a.spec.method) - ORDER.indexOf(b.spec.method),
  );
  for (const { spec } of routes) {
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
      ...errorAnswers(spec),
    };
    /** @type {Record<string, unknown>} */
    const operation = {
      summary: spec.summary,
      operationId: operationId(spec.path, spec.method),
      tags: [spec.tag || spec.path.split('/')[1]],
      parameters: parameters(spec),
      responses,
    };
    if (spec.auth === 'user' || spec.auth === 'admin') operation.security = [{ bearer: [] }];
    if (spec.auth === 'optional') operation.security = [{ bearer: [] }, {}];
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
      schemas: {
        ErrorBody: ERROR_BODY,
        FieldError: FIELD_ERROR,
        ValidationErrorBody: VALIDATION_ERROR_BODY,
      },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

module.exports = { buildDocument };
