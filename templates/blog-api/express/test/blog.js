'use strict';
/**
 * Helpers of the blog tests: authors and posts.
 */
const assert = require('node:assert/strict');
const request = require('supertest');

const { makeAdmin, signUp } = require('./support');

/**
 * A new account with the author role, given by an admin.
 * @param {Awaited<ReturnType<typeof import('./support').startApp>>} ctx
 * @param {import('./support').Account} [admin]
 */
async function makeAuthor(ctx, admin) {
  const account = await signUp(ctx.app, 'author');
  const by = admin || (await makeAdmin(ctx));
  const response = await request(ctx.app)
    .patch(`/users/${account.id}`)
    .send({ role: 'author' })
    .set(by.headers);
  assert.equal(response.status, 200, response.text);
  return account;
}

/**
 * Write a post and return it.
 * @param {import('express').Express} app
 * @param {import('./support').Account} account
 * @param {Record<string, unknown>} fields
 */
async function writePost(app, account, fields) {
  const response = await request(app).post('/posts').send(fields).set(account.headers);
  assert.equal(response.status, 201, response.text);
  return response.body;
}

/**
 * The slugs of a list response.
 * @param {import('supertest').Response} response
 */
function slugs(response) {
  assert.equal(response.status, 200, response.text);
  return response.body.items.map((/** @type {{slug: string}} */ post) => post.slug);
}

module.exports = { makeAuthor, writePost, slugs };
