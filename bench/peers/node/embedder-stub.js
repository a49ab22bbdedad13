'use strict';
// A stand-in for a remote OpenAI-compatible embeddings service (POST /v1/embeddings), so bench/compare.sh can run
// Lectern in its production configuration (LECTERN_EMBEDDING_PROVIDER=openai: no model in the JVM) on a machine with
// no network. Each input gets a deterministic unit vector of EMBED_DIMENSION (default 384) floats derived from a hash of
// its text: stable across runs, meaningless for retrieval quality, which the comparison does not measure.
//
//   PORT=18183 [EMBED_DIMENSION=384] node embedder-stub.js
const http = require('node:http');
const crypto = require('node:crypto');

const dimension = Number(process.env.EMBED_DIMENSION || 384);
const port = Number(process.env.PORT || 18183);

function embed(text) {
  const vector = new Array(dimension);
  let seed = crypto.createHash('sha256').update(String(text)).digest();
  let norm = 0;
  for (let i = 0; i < dimension; i++) {
    if (i % 32 === 0 && i > 0) seed = crypto.createHash('sha256').update(seed).digest();
    const value = seed[i % 32] / 127.5 - 1;
    vector[i] = value;
    norm += value * value;
  }
  norm = Math.sqrt(norm) || 1;
  return vector.map((v) => v / norm);
}

http
  .createServer((req, res) => {
    if (req.method !== 'POST' || !req.url.endsWith('/embeddings')) {
      res.writeHead(404).end();
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad JSON"}');
        return;
      }
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: embed(text) }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', model: body.model || 'stub', data }));
    });
  })
  .listen(port, '127.0.0.1');
