'use strict';
/**
 * What the cache keeps (http/cache.js): the public lists of posts and tags, and the
 * writes that change them.
 * @module http/cache-rules
 */

/**
 * The cached routes. A signed-in caller may see their drafts (an admin every draft):
 * the posts are kept per caller, the anonymous answers once for all.
 * @type {Record<string, import('./cache').ReadRule>}
 */
const reads = {
  'GET /posts': { namespace: 'posts', scope: 'viewer' },
  'GET /tags': { namespace: 'tags', scope: 'public' },
};

/**
 * The writes, and the namespaces each changes: a post's tags and status count in /tags.
 * @type {Record<string, readonly string[]>}
 */
const writes = {
  'POST /posts': ['posts', 'tags'],
  'PATCH /posts/{slug}': ['posts', 'tags'],
  'DELETE /posts/{slug}': ['posts', 'tags'],
};

module.exports = { reads, writes };
