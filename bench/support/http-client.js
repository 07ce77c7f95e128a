'use strict';
/**
 * A small keep-alive HTTP client that times its requests with hrtime (sub-millisecond, unlike
 * autocannon's whole milliseconds), and percentiles over the samples.
 */
const http = require('node:http');

class HttpClient {
  constructor(base) {
    const url = new URL(base);
    this.hostname = url.hostname;
    this.port = Number(url.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  }

  /** Resolves `{status, headers, body, ms}` (body as text); `ms` runs from the call to the last byte. */
  request(method, path, { headers = {}, body } = {}) {
    const started = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
      const request = http.request(
        { method, path, hostname: this.hostname, port: this.port, agent: this.agent, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode,
              headers: response.headers,
              body: Buffer.concat(chunks).toString('utf8'),
              ms: Number(process.hrtime.bigint() - started) / 1e6,
              at: process.hrtime.bigint(),
            }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  get(path, options) {
    return this.request('GET', path, options);
  }

  close() {
    this.agent.destroy();
  }
}

/** The q-th percentile (0-100) of `values`, nearest rank; NaN when empty. */
function percentile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((q / 100) * sorted.length) - 1))];
}

module.exports = { HttpClient, percentile };
