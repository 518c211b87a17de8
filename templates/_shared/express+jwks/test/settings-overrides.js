'use strict';
// The apps of the tests trust test/issuer.js's issuer (names as in .env).
module.exports = require('./issuer').issuer.settings();
