#!/usr/bin/env node
// Small network helpers for scripts/test.sh (node only: no curl/python needed).
//
//   node net-util.cjs free-ports N              print N distinct free loopback TCP ports, one per line
//   node net-util.cjs wait-http URL SECONDS     wait until GET URL answers 2xx
//   node net-util.cjs wait-smtp HOST PORT SECS  wait until an SMTP server sends its 220 greeting
//
// Exit code 0 on success, 1 on failure/timeout (reason on stderr).
'use strict';
const net = require('net');
const http = require('http');

const [cmd, ...args] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePorts(n) {
  // Hold all sockets open at once so the ports are distinct.
  const servers = [];
  for (let i = 0; i < n; i++) {
    const s = net.createServer();
    await new Promise((resolve, reject) => {
      s.once('error', reject);
      s.listen(0, '127.0.0.1', resolve);
    });
    servers.push(s);
  }
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  console.log(ports.join('\n'));
}

function httpOnce(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode >= 200 && res.statusCode < 300 ? null : `HTTP ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve(e.message));
  });
}

function smtpOnce(host, port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port: Number(port) });
    let buf = '';
    const done = (err) => { sock.destroy(); resolve(err); };
    sock.setTimeout(2000, () => done('timeout'));
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\n')) {
        if (buf.startsWith('220')) {
          sock.end('QUIT\r\n');
          resolve(null);
        } else {
          done(`unexpected greeting: ${buf.trim()}`);
        }
      }
    });
    sock.on('error', (e) => done(e.message));
  });
}

async function waitFor(check, seconds, what) {
  const deadline = Date.now() + Number(seconds) * 1000;
  let last = 'not tried';
  while (Date.now() < deadline) {
    last = await check();
    if (last === null) return;
    await sleep(200);
  }
  console.error(`timed out after ${seconds}s waiting for ${what}: ${last}`);
  process.exit(1);
}

(async () => {
  switch (cmd) {
    case 'free-ports':
      await freePorts(Number(args[0] || 1));
      break;
    case 'wait-http':
      await waitFor(() => httpOnce(args[0]), args[1] || 30, args[0]);
      break;
    case 'wait-smtp':
      await waitFor(() => smtpOnce(args[0], args[1]), args[2] || 30, `smtp ${args[0]}:${args[1]}`);
      break;
    default:
      console.error(`usage: net-util.cjs free-ports N | wait-http URL SECS | wait-smtp HOST PORT SECS`);
      process.exit(2);
  }
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
