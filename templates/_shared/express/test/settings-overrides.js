'use strict';
// Settings a kind's tests need on top of test/support.js's (names as in .env).
module.exports = {};
