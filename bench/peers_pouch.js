// Anju's bench/peers.py copies this next to its npm packages and runs: node bench.js REMOTE_URL ROWS_JSON ADAPTER -> one JSON line.
const fs = require('fs');
const path = require('path');
const os = require('os');
const PouchDB = require('pouchdb');
const [remoteBase, rowsPath, wanted] = process.argv.slice(2);
let adapter = 'leveldb';
if (wanted === 'memory') {
  try { PouchDB.plugin(require('pouchdb-adapter-memory')); adapter = 'memory'; } catch (e) { adapter = 'leveldb'; }
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-pouch-client-'));
const local = (name) => new PouchDB(adapter === 'memory' ? name : path.join(tmp, name), { adapter });
const now = () => Number(process.hrtime.bigint()) / 1e9;
async function timed(fn) { const t = now(); const r = await fn(); return [now() - t, r]; }

(async () => {
  const { rows, edited } = JSON.parse(fs.readFileSync(rowsPath, 'utf8'));
  const n = rows.length;
  const id = (i) => 'member:' + String(i).padStart(8, '0');
  const remote = new PouchDB(remoteBase + '/members');
  await remote.info();  // creates it
  const a = local('a');
  for (let i = 0; i < n; i += 1000) {
    await a.bulkDocs(rows.slice(i, i + 1000).map((r, k) => ({ _id: id(i + k), type: 'member', ...r })));
  }
  const [push, pushed] = await timed(() => a.replicate.to(remote));
  if (pushed.docs_written !== n) throw new Error('push wrote ' + pushed.docs_written);
  await a.replicate.from(remote);  // settle A's pull checkpoint, as its first sync would
  const b = local('b');
  const [pull, pulled] = await timed(() => b.replicate.from(remote));
  if ((await b.info()).doc_count !== n) throw new Error('pull: b has ' + (await b.info()).doc_count);

  const ids = edited.map((_, i) => id(i));
  const current = await a.allDocs({ keys: ids, include_docs: true });
  await a.bulkDocs(current.rows.map((row, i) => ({ ...row.doc, ...edited[i] })));
  const [incremental] = await timed(async () => { await a.replicate.to(remote); await a.replicate.from(remote); });
  const [incrementalPull, got] = await timed(() => b.replicate.from(remote));
  if (edited.length && got.docs_written !== edited.length) throw new Error('incremental pull got ' + got.docs_written);

  const noops = [];
  for (let k = 0; k < 5; k++) {
    const [t] = await timed(async () => { await a.replicate.to(remote); await a.replicate.from(remote); });
    noops.push(t);
  }
  const noop = noops.sort((x, y) => x - y)[2];  // the median of 5
  await a.destroy(); await b.destroy();
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(JSON.stringify({
    records: n, edits: edited.length, client_adapter: adapter,
    push_rps: Math.round(n / push), pull_rps: Math.round(n / pull),
    push_s: +push.toFixed(3), pull_s: +pull.toFixed(3),
    incremental_ms: +(incremental * 1000).toFixed(1), incremental_pull_ms: +(incrementalPull * 1000).toFixed(1),
    noop_ms: +(noop * 1000).toFixed(1),
  }));
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
