'use strict';
/**
 * The entry point: listen on PORT, with WEB_CONCURRENCY worker processes (node:cluster).
 * @module server
 */
// @types/node declares node:cluster as an ES module's default export; require() returns
// the cluster itself.
const cluster = /** @type {import('node:cluster').Cluster} */ (
  /** @type {unknown} */ (require('node:cluster'))
);

const { buildApp } = require('./app');
const { loadSettings } = require('./core/config');
const { connect } = require('./db');
const features = require('./features');

const workers = Math.max(1, Number.parseInt(process.env.WEB_CONCURRENCY || '1', 10) || 1);
const port = Number.parseInt(process.env.PORT || '8000', 10);
const host = process.env.HOST || '0.0.0.0';

function serve() {
  const settings = loadSettings();
  const db = connect(settings.databaseUrl, { poolSize: settings.dbPoolSize });
  const server = buildApp({ db, settings }).listen(port, host, () => {
    console.log(`worker ${process.pid} listening on http://${host}:${port}`);
  });
  const stop = () => {
    server.close(() => {
      db.destroy().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (workers > 1 && cluster.isPrimary) {
  // Fail fast on bad settings, before any worker starts.
  loadSettings();
  features.primary();
  let stopping = false;
  for (let i = 0; i < workers; i += 1) cluster.fork();
  cluster.on('exit', (worker, code) => {
    if (!stopping) {
      console.error(`worker ${worker.process.pid} exited (${code}); starting another`);
      cluster.fork();
    } else if (Object.keys(cluster.workers || {}).length === 0) {
      process.exit(0);
    }
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers || {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  serve();
}
