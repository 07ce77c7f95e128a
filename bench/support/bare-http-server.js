'use strict';
/** The baseline: a bare Node HTTP server that reads the body and answers 201 without work. */
const http = require('node:http');

http
  .createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(201, { 'content-type': 'application/json', 'content-length': 2 });
      response.end('{}');
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
