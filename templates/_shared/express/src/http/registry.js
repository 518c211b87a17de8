'use strict';
/**
 * The route registry: every endpoint is declared once, with its method, path, summary,
 * auth, and zod schemas; the registry mounts it on Express and describes it in the
 * OpenAPI document, so the two cannot drift apart.
 * @module http/registry
 */
const express = require('express');

const { Forbidden, NotFound } = require('../core/errors');
const { parseId } = require('../schemas/common');
const { currentAdmin, currentUser } = require('./auth');
const { flatQuery, integerPaths, refuseFloatIntegers, validate } = require('./validation');

/**
 * @typedef {object} RouteSpec
 * @property {'GET'|'POST'|'PUT'|'PATCH'|'DELETE'} method
 * @property {string} path OpenAPI style: /tasks/{task_id}; a parameter ending in _id is
 *   an integer id (anything else in its place is a 404).
 * @property {string} summary
 * @property {string} [tag]
 * @property {'public'|'optional'|'user'|'admin'} [auth] 'optional': anyone, but a request
 *   that sends an Authorization header must carry a valid token (user is then set)
 * @property {string[]} [roles] with auth 'user': the roles that may call it; anyone
 *   else gets 403 before the request is validated.
 * @property {import('zod').ZodType} [query]
 * @property {HeaderParameter[]} [headers] request headers the handler reads itself
 *   (req.get), described in the OpenAPI document
 * @property {import('zod').ZodType} [body]
 * @property {import('zod').ZodType} [response]
 * @property {number} [status] success status (204 answers no body)
 * @property {Record<number, string | {description: string, body: import('zod').ZodType}>} [errors]
 *   error statuses it may answer: a description, or one with the body the answer has
 *   when it is not the common error body
 */

/**
 * @typedef {object} HeaderParameter
 * @property {string} name
 * @property {string} [description]
 * @property {boolean} [required]
 * @property {Record<string, unknown>} [schema] its JSON Schema (a string by default)
 */

/**
 * @typedef {object} Context
 * @property {import('express').Request} req
 * @property {import('express').Response} res
 * @property {import('knex').Knex} db
 * @property {import('../core/config').Settings} settings
 * @property {any} user the signed-in user's row (for auth "user" or "admin"; "optional":
 *   the row, or null without an Authorization header)
 * @property {Record<string, any>} params path parameters (ids as numbers)
 * @property {any} query the validated query string
 * @property {any} body the validated JSON body
 */

/** @typedef {(context: Context) => Promise<unknown> | unknown} Handler */
/** @typedef {{spec: RouteSpec, handler: Handler}} Route */

/** The methods in the order Allow lists them (OPTIONS comes last). */
const ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

class Registry {
  constructor() {
    /** @type {Route[]} */
    this.routes = [];
  }

  /**
   * Declare an endpoint.
   * @param {RouteSpec} spec
   * @param {Handler} handler
   */
  route(spec, handler) {
    this.routes.push({ spec, handler });
  }

  /**
   * An Express router serving every declared route (strict: /users/me/ is a 404).
   * `wrap` gives the handler to run instead of a route's own (the features': src/features.js).
   * @param {{db: import('knex').Knex, settings: import('../core/config').Settings,
   *   wrap?: (spec: RouteSpec, handler: Handler) => Handler}} deps
   */
  router({ db, settings, wrap = (_spec, handler) => handler }) {
    const router = express.Router({ strict: true, caseSensitive: true });
    for (const route of this.routes) {
      const { spec } = route;
      const handler = wrap(spec, route.handler);
      const method = /** @type {'get'|'post'|'put'|'patch'|'delete'} */ (spec.method.toLowerCase());
      const integers = spec.body ? integerPaths(spec.body) : [];
      router[method](expressPath(spec.path), async (req, res, next) => {
        // "/users/me" is no user id: leave it to the routes (and the 405) of its own path.
        if (!idsAreNumbers(req.params)) {
          next();
          return;
        }
        // Which route answers, as the OpenAPI document spells it (metrics, for one).
        res.locals.route = spec.path;
        const user = await authenticate(spec.auth, req, db, settings);
        if (spec.roles && !(user && spec.roles.includes(user.role))) {
          throw new Forbidden(roleRequired(spec));
        }
        const params = pathParams(spec.path, req.params);
        const query = spec.query ? validate(spec.query, flatQuery(req.query), 'query') : {};
        if (spec.body) refuseFloatIntegers(/** @type {any} */ (req).rawBody, integers);
        const body = spec.body ? validate(spec.body, req.body, 'body') : undefined;
        const result = await handler({ req, res, db, settings, user, params, query, body });
        if (res.headersSent) return;
        const status = spec.status ?? 200;
        if (status === 204) res.status(204).end();
        else res.status(status).json(result);
      });
    }
    return router;
  }

  /**
   * The methods served at a concrete path, then OPTIONS, as OPTIONS and 405 answers
   * list them in Allow; empty if no route matches.
   * @param {string} path
   */
  methodsFor(path) {
    const methods = new Set();
    for (const { spec } of this.routes) {
      if (pathPattern(spec.path).test(path)) methods.add(spec.method);
    }
    const ordered = ORDER.filter((method) => methods.has(method));
    return ordered.length ? [...ordered, 'OPTIONS'] : [];
  }
}

/**
 * The 403 detail of a route open to some roles: "Manager role required".
 * @param {RouteSpec} spec
 */
function roleRequired(spec) {
  const [role = 'another'] = spec.roles || [];
  return `${role.charAt(0).toUpperCase()}${role.slice(1)} role required`;
}

/** @param {string} path */
function expressPath(path) {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * The paths a route serves: a parameter ending in _id takes digits only.
 * @param {string} path
 */
function pathPattern(path) {
  const source = path
    .split(/(\{\w+\})/)
    .map((part) => {
      if (/^\{\w+_id\}$/.test(part)) return '\\d+';
      if (/^\{\w+\}$/.test(part)) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * Whether every id of the path is written in digits (its range is checked later).
 * @param {import('express').Request['params']} raw
 */
function idsAreNumbers(raw) {
  return Object.entries(raw).every(
    ([name, value]) => !name.endsWith('_id') || (typeof value === 'string' && /^\d+$/.test(value)),
  );
}

/**
 * @param {RouteSpec['auth']} level
 * @param {import('express').Request} req
 * @param {import('knex').Knex} db
 * @param {import('../core/config').Settings} settings
 */
function authenticate(level, req, db, settings) {
  if (level === 'admin') return currentAdmin(req, db, settings);
  if (level === 'user') return currentUser(req, db, settings);
  if (level === 'optional' && req.get('authorization') !== undefined) {
    return currentUser(req, db, settings);
  }
  return null;
}

/**
 * Ids in the path as numbers; a malformed or out-of-range id names nothing: 404.
 * @param {string} path
 * @param {import('express').Request['params']} raw
 */
function pathParams(path, raw) {
  /** @type {Record<string, any>} */
  const params = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name.endsWith('_id')) {
      const id = typeof value === 'string' ? parseId(value) : null;
      if (id === null) throw new NotFound();
      params[name] = id;
    } else {
      params[name] = value;
    }
  }
  return params;
}

module.exports = { ORDER, Registry, pathPattern, roleRequired };
