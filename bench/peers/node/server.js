'use strict';
// Starts the Node peer (see app.js) as a Node team would deploy it on this machine: one worker process per CPU
// (node:cluster, sharing the port), the database pool of LECTERN_DB_POOL_SIZE (default 20, as Lectern) split
// between the workers, so the peer holds as many connections as Lectern does.
//
//   DATABASE_URL=postgres://user@host:5432/db PORT=18181 [LECTERN_ADMIN_API_KEY=...] [PEER_WORKERS=2] node server.js
const cluster = require('node:cluster');
const os = require('node:os');

const workers = Number(process.env.PEER_WORKERS || os.availableParallelism());
const poolSize = Number(process.env.LECTERN_DB_POOL_SIZE || 20);
if (!Number.isInteger(workers) || workers < 1 || !Number.isInteger(poolSize) || poolSize < workers) {
  console.error(`PEER_WORKERS (${workers}) must be >= 1 and LECTERN_DB_POOL_SIZE (${poolSize}) at least as large`);
  process.exit(2);
}

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) {
    // The pool split evenly; the first ones take the remainder.
    const share = Math.floor(poolSize / workers) + (i < poolSize % workers ? 1 : 0);
    cluster.fork({ PEER_POOL_SIZE: String(share) });
  }
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      console.error(`worker ${worker.process.pid} exited (${signal || code}); stopping`);
      stop();
    }
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers)) {
      worker.process.kill('SIGTERM');
    }
    const check = setInterval(() => Object.keys(cluster.workers).length === 0 && process.exit(0), 50);
    setTimeout(() => process.exit(1), 10_000).unref();
    check.unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  startWorker(Number(process.env.PEER_POOL_SIZE || poolSize)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

async function startWorker(max) {
  const pg = require('pg');
  const { buildApp, ApiKeys } = require('./app');
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error('DATABASE_URL is required, e.g. postgres://postgres@localhost:5432/lectern');
  }
  // TimeZone=UTC: timestamptz arrives as "... +00" text, which lectern-json.instant reshapes.
  const pool = new pg.Pool({ connectionString, max, options: '-c TimeZone=UTC' });
  pool.on('error', (e) => console.error(`idle database connection failed: ${e.message}`));
  const apiKeys = new ApiKeys(pool, { adminKey: process.env.LECTERN_ADMIN_API_KEY || '' });
  const app = buildApp({ pool, apiKeys });
  await app.listen({ port: Number(process.env.PORT || 8080), host: process.env.HOST || '0.0.0.0' });

  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await app.close();
    await apiKeys.close();
    await pool.end();
    process.exit(0);
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
  if (cluster.isWorker) {
    process.on('disconnect', close); // the primary is gone
  }
}
