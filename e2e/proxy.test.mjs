// The README's recipe for nginx in front (deploy/nginx/borderline.conf), run
// as written with Debian's nginx on loopback: a warm cache answers while
// Borderline is stopped, and an import shows through it within the max-age.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, ROOT, freePort, sleep, startServer, tempDir } from './harness.mjs';

const NGINX = process.env.NGINX || '/usr/sbin/nginx';
const MAX_AGE_S = 2;

let tmp;
let db;
let borderline;
let borderlinePort;
let nginx;
let front; // http://127.0.0.1:PORT of nginx

/** nginx.conf around the recipe: only the addresses and the cache folder change. */
function nginxConf(dir, listen, upstream) {
  let recipe = fs.readFileSync(path.join(ROOT, 'deploy/nginx/borderline.conf'), 'utf8');
  const swaps = [
    ['server 127.0.0.1:8080;', `server 127.0.0.1:${upstream};`],
    ['listen 80;', `listen 127.0.0.1:${listen};`],
    ['/var/cache/nginx/borderline', path.join(dir, 'cache')],
  ];
  for (const [from, to] of swaps) {
    assert.ok(recipe.includes(from), `the recipe no longer has "${from}"`);
    recipe = recipe.replaceAll(from, to);
  }
  fs.writeFileSync(path.join(dir, 'borderline.conf'), recipe);
  const tmpPaths = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((p) => `${p}_temp_path ${path.join(dir, 'tmp')};`).join('\n  ');
  // Started as root (CI), nginx's workers would become nobody and could not
  // write the cache in our private temporary folder.
  const user = process.getuid && process.getuid() === 0 ? 'user root;\n' : '';
  return `daemon off;
${user}worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
  ${tmpPaths}
  include ${path.join(dir, 'borderline.conf')};
}
`;
}

async function get(p, headers = {}) {
  const res = await fetch(front + p, { headers });
  return { status: res.status, cache: res.headers.get('x-cache-status'), headers: res.headers, body: await res.text() };
}

before(async () => {
  assert.ok(fs.existsSync(NGINX), `nginx not found at ${NGINX} (apt-get install nginx-light, or set NGINX)`);
  tmp = tempDir();
  db = path.join(tmp, 'test.db');
  fs.mkdirSync(path.join(tmp, 'tmp'));
  borderline = await startServer(db, ['--cache-max-age', `${MAX_AGE_S}s`, '--cache-stale', '60s']);
  borderlinePort = Number(new URL(borderline.base).port);
  const port = await freePort();
  fs.writeFileSync(path.join(tmp, 'nginx.conf'), nginxConf(tmp, port, borderlinePort));
  const check = spawnSync(NGINX, ['-t', '-c', path.join(tmp, 'nginx.conf'), '-p', tmp], { encoding: 'utf8' });
  assert.equal(check.status, 0, `nginx -t: ${check.stderr}`);
  nginx = spawn(NGINX, ['-c', path.join(tmp, 'nginx.conf'), '-p', tmp], { stdio: 'ignore' });
  front = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(front + '/healthz');
      break;
    } catch (err) {
      if (i > 100) throw err;
      await sleep(50);
    }
  }
});

after(async () => {
  if (nginx) nginx.kill('SIGTERM');
  if (borderline) await borderline.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const ITEMS = '/collections/incidents/items?datetime=2021-05-01/2021-05-31&limit=100';

test('nginx in front: answers from its cache, and while Borderline is stopped', async () => {
  const first = await get(ITEMS);
  assert.equal(first.status, 200);
  assert.equal(first.cache, 'MISS');
  const second = await get(ITEMS);
  assert.equal(second.cache, 'HIT', 'a repeated data request is answered by nginx');
  assert.equal(second.body, first.body);
  // Links name the address readers use, not Borderline's own.
  assert.ok(JSON.parse(first.body).links.every((l) => l.href.startsWith(front)), 'links through the proxy');
  const layer = '/collections/border/items?simplify=500';
  await get(layer);

  await borderline.stop();
  const direct = await fetch(borderline.base + '/healthz').then(() => 'answered', () => 'down');
  assert.equal(direct, 'down', 'Borderline is stopped');
  for (const p of [ITEMS, layer]) {
    const r = await get(p);
    assert.equal(r.status, 200, `${p} while Borderline is down`);
    assert.ok(['HIT', 'STALE', 'UPDATING'].includes(r.cache), `${p}: ${r.cache}`);
  }
  assert.equal((await get(ITEMS)).body, first.body);
});

test('nginx in front: an import shows within the max-age', async () => {
  if (borderline.process.exitCode !== null) {
    borderline = await startServer(db, ['--cache-max-age', `${MAX_AGE_S}s`, '--cache-stale', '60s'], { port: borderlinePort });
  }
  const before = JSON.parse((await get(ITEMS)).body);
  const csv = path.join(tmp, 'new.csv');
  fs.writeFileSync(csv, [
    'id,title,summary,category,date_start,date_end,date_precision,date_inferred,date_note,place_ids,location_precision,location_note,verification,verification_note,source_ids,contradictions,research_ref',
    'e2e-proxy-new,Proxy test incident,An incident added while nginx caches the map.,arrests,2021-05-10,,day,no,,hyesan,exact,,single_source,,dailynk-2021-03,,',
  ].join('\n') + '\n');
  const imported = spawnSync(BIN, ['import', '--db', db, csv], { encoding: 'utf8' });
  assert.equal(imported.status, 0, imported.stderr);
  const start = Date.now();
  let seen = null;
  while (Date.now() - start < (MAX_AGE_S + 3) * 1000) {
    const r = JSON.parse((await get(ITEMS)).body);
    if (r.features.some((f) => f.id === 'e2e-proxy-new')) {
      seen = Date.now() - start;
      assert.equal(r.numberMatched, before.numberMatched + 1);
      break;
    }
    await sleep(100);
  }
  assert.ok(seen !== null, 'the imported incident never showed through nginx');
  // Fresh for MAX_AGE_S; the first request after that is served stale while
  // nginx asks, so the next shows the import: one round trip past the age.
  assert.ok(seen <= MAX_AGE_S * 1000 + 1000, `the import showed after ${seen} ms; the max-age is ${MAX_AGE_S} s`);
});
