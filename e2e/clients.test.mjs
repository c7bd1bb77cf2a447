// The data service as clients no one here wrote see it: the OpenAPI
// definition through a real validator (@apidevtools/swagger-parser), OWSLib
// (Debian's python3-owslib, as GIS scripts use it) and GDAL's OGC API –
// Features driver (Debian's gdal-bin, ogrinfo).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ROOT, startServer, tempDir, getJSON } from './harness.mjs';

// Debian's Python, which has Debian's OWSLib (another python3 may be first on PATH).
const PYTHON = process.env.PYTHON || '/usr/bin/python3';

let tmp;
let server;

before(async () => {
  tmp = tempDir();
  server = await startServer(path.join(tmp, 'clients.db'));
});

after(async () => {
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  assert.equal(r.error, undefined, `${cmd}: ${r.error}`);
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

test('the OpenAPI definition is valid OpenAPI 3.0 and lists every collection route', async () => {
  const doc = await getJSON(server.base, '/api');
  // validate() dereferences in place: give it a copy.
  await SwaggerParser.validate(structuredClone(doc));
  const collections = await getJSON(server.base, '/collections');
  for (const { id } of collections.collections) {
    for (const p of ['', '/items', '/items/{featureId}', '/queryables', '/sortables']) {
      assert.ok(doc.paths[`/collections/${id}${p}`], `/collections/${id}${p} is not in the definition`);
    }
  }
});

// The three filters of the README, as a journalist would write them.
const FILTERS = {
  ryanggang: "province = 'Ryanggang' AND in_force_from >= DATE('2020-08-26')",
  arrests: "category = 'arrests' AND verification = 'single_source'",
  hyesan: "S_INTERSECTS(geometry, BBOX(127.9, 41.2, 128.4, 41.6)) AND T_INTERSECTS(in_force, INTERVAL('2021-03-01', '2021-03-31'))",
};

test('OWSLib reads the landing page, conformance, every collection, queryables and items', async () => {
  const seen = JSON.parse(run(PYTHON, [path.join(ROOT, 'e2e/clients/owslib_read.py'), server.base, FILTERS.arrests]));
  assert.equal(seen.landing, 'Borderline');
  for (const rel of ['service-desc', 'conformance', 'data']) assert.ok(seen.landing_rels.includes(rel), `the landing page has no ${rel} link`);
  assert.equal(seen.openapi, '3.0.3');
  assert.ok(seen.conformance.includes('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core'));
  const ids = Object.keys(seen.collections);
  assert.deepEqual(ids, ['incidents', 'places', 'areas', 'zones', 'border', 'provinces', 'rivers', 'countries']);
  for (const [id, c] of Object.entries(seen.collections)) {
    assert.ok(c.numberMatched > 0 && c.returned > 0 && c.returned <= 5, `${id}: ${JSON.stringify(c)}`);
    assert.ok(c.queryables.length > 0, `${id} has no queryables`);
  }
  assert.ok(seen.collections.incidents.queryables.includes('category'));
  assert.ok(seen.hyesan_march_2021.length > 0, 'nothing in a box around Hyesan in March 2021');
  const plain = await getJSON(server.base, '/collections/incidents/items?category=arrests&verification=single_source&limit=1000');
  assert.ok(plain.numberMatched > 0);
  assert.deepEqual(seen.filter.ids, plain.features.map((f) => f.id).sort(), 'OWSLib\'s CQL2 filter selects what the plain parameters do');
});

test('the README\'s three filters select what the plain parameters do', async () => {
  const q = (query) => getJSON(server.base, `/collections/incidents/items?limit=1000&${query}`);
  const ids = (fc) => fc.features.map((f) => f.id).sort();
  const hyesan = await q(`filter=${encodeURIComponent(FILTERS.hyesan)}`);
  const hyesanPlain = await q('bbox=127.9,41.2,128.4,41.6&datetime=2021-03-01/2021-03-31');
  assert.ok(hyesan.numberMatched > 0);
  assert.deepEqual(ids(hyesan), ids(hyesanPlain));
  const ryanggang = await q(`filter=${encodeURIComponent(FILTERS.ryanggang)}`);
  assert.ok(ryanggang.numberMatched > 0);
  for (const f of ryanggang.features) assert.ok(f.properties.in_force_from >= '2020-08-26', f.id);
});

test('GDAL reads every feature of every collection, with its attributes', async () => {
  const collections = await getJSON(server.base, '/collections');
  for (const { id } of collections.collections) {
    const fc = await getJSON(server.base, `/collections/${id}/items?limit=10000`);
    const out = run('ogrinfo', ['-ro', '-al', '-so', `OAPIF:${server.base}`, id]);
    const count = Number((/Feature Count: (\d+)/.exec(out) || [])[1]);
    assert.equal(count, fc.numberMatched, `${id}: GDAL counted ${count}, the service has ${fc.numberMatched}\n${out}`);
    const full = run('ogrinfo', ['-ro', '-al', '-q', '-oo', 'PAGE_SIZE=7', `OAPIF:${server.base}`, id]);
    const features = (full.match(/^OGRFeature\(/gm) || []).length;
    assert.equal(features, fc.numberMatched, `${id}: GDAL read ${features} features through the next links`);
    const firstProp = Object.keys(fc.features[0].properties).find((k) => typeof fc.features[0].properties[k] === 'string' && fc.features[0].properties[k]);
    assert.ok(firstProp === undefined || out.includes(`${firstProp}:`), `${id}: GDAL sees no ${firstProp} field\n${out}`);
  }
  // GDAL passes what it can of -where to the server: Debian's GDAL 3.6
  // sends an equality on a queryable as a query parameter (category=arrests)
  // and a date range as datetime, and tests the rest itself (it sends no
  // CQL2 filter= before 3.7). Either way it must read what the server's own
  // filter selects.
  for (const [where, filter] of [
    ["category = 'arrests'", "category = 'arrests'"],
    ["title LIKE 'Hyesan%' AND date_start >= '2021-01-01'", "title LIKE 'Hyesan%' AND date_start >= DATE('2021-01-01')"],
  ]) {
    const want = await getJSON(server.base, `/collections/incidents/items?limit=1000&filter=${encodeURIComponent(filter)}`);
    assert.ok(want.numberMatched > 0, filter);
    const out = run('ogrinfo', ['-ro', '-al', '-q', '-where', where, `OAPIF:${server.base}`, 'incidents']);
    assert.equal((out.match(/^OGRFeature\(/gm) || []).length, want.numberMatched, where);
  }
});
