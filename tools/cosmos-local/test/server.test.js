"use strict";
// Each fix in server.js, over plain HTTP with the headers the .NET SDK sends in Gateway mode.

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const path = require("node:path");
const { createServer } = require("../server.js");

let server;
let base;
let connections = 0;
let containerCount = 0;

before(async () => {
  server = createServer();
  server.on("connection", () => { connections += 1; });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  await call("POST", "/dbs", { body: { id: "db" } });
});

after(() => {
  server.closeAllConnections();
  server.close();
});

async function call(method, url, { body, headers = {} } = {}) {
  const res = await fetch(base + url, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

const pkHeader = (...values) => ({ "x-ms-documentdb-partitionkey": JSON.stringify(values) });

/** A fresh container partitioned by /tenant, holding the given documents. */
async function containerWith(...docs) {
  const url = `/dbs/db/colls/c${++containerCount}`;
  await call("POST", "/dbs/db/colls", { body: { id: `c${containerCount}`, partitionKey: { paths: ["/tenant"], kind: "Hash", version: 2 } } });
  for (const doc of docs) await call("POST", `${url}/docs`, { body: doc, headers: pkHeader(doc.tenant) });
  return url;
}

function query(url, sql, { parameters = [], headers = {} } = {}) {
  return call("POST", `${url}/docs`, {
    body: { query: sql, parameters },
    headers: { "content-type": "application/query+json", "x-ms-documentdb-isquery": "True", ...headers },
  });
}

const ids = (response) => response.json.Documents.map((d) => d.id);

test("a query-plan request gets a plan that passes the query through to the one range", async () => {
  const url = await containerWith();

  const plan = await query(url, "SELECT * FROM c ORDER BY c.rank DESC OFFSET 1 LIMIT 2", {
    headers: { "x-ms-cosmos-is-query-plan-request": "True", "x-ms-cosmos-supported-query-features": "OrderBy, OffsetAndLimit" },
  });

  assert.equal(plan.status, 200);
  assert.equal(plan.json.partitionedQueryExecutionInfoVersion, 2);
  assert.deepEqual(plan.json.queryRanges, [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }]);
  const { orderBy, aggregates, offset, limit, top, distinctType, rewrittenQuery } = plan.json.queryInfo;
  assert.deepEqual({ orderBy, aggregates, offset, limit, top, distinctType, rewrittenQuery },
    { orderBy: [], aggregates: [], offset: null, limit: null, top: null, distinctType: "None", rewrittenQuery: "" });
});

test("a query with a partition key header returns only that partition", async () => {
  const url = await containerWith({ id: "a", tenant: "t1" }, { id: "b", tenant: "t2" }, { id: "c", tenant: "t1" }, { id: "d" });

  const t1 = await query(url, "SELECT * FROM c ORDER BY c.id", { headers: pkHeader("t1") });
  const none = await query(url, "SELECT * FROM c", { headers: pkHeader({}) });
  const all = await query(url, "SELECT * FROM c ORDER BY c.id", { headers: { "x-ms-documentdb-query-enablecrosspartition": "True" } });

  assert.deepEqual(ids(t1), ["a", "c"]);
  assert.equal(t1.headers.get("x-ms-item-count"), "2");
  assert.deepEqual(ids(none), ["d"], "[{}] is PartitionKey.None: documents without the property");
  assert.deepEqual(ids(all), ["a", "b", "c", "d"]);
});

test("OFFSET and LIMIT, as literals or parameters, slice the ordered result and page by position", async () => {
  const url = await containerWith(...[1, 2, 3, 4, 5, 6].map((rank) => ({ id: `i${rank}`, tenant: "t", rank })));

  const literal = await query(url, "SELECT * FROM c ORDER BY c.rank DESC OFFSET 1 LIMIT 3");
  const parameters = [{ name: "@skip", value: 2 }, { name: "@take", value: 3 }];
  const firstPage = await query(url, "SELECT * FROM c ORDER BY c.rank OFFSET @skip LIMIT @take", { parameters, headers: { "x-ms-max-item-count": "2" } });
  const secondPage = await query(url, "SELECT * FROM c ORDER BY c.rank OFFSET @skip LIMIT @take", {
    parameters, headers: { "x-ms-max-item-count": "2", "x-ms-continuation": firstPage.headers.get("x-ms-continuation") },
  });

  assert.deepEqual(ids(literal), ["i5", "i4", "i3"]);
  assert.deepEqual(ids(firstPage), ["i3", "i4"]);
  assert.deepEqual(ids(secondPage), ["i5"]);
  assert.equal(secondPage.headers.get("x-ms-continuation"), null);
});

test("a bad query or OFFSET is a 400, not a 500", async () => {
  const url = await containerWith({ id: "a", tenant: "t" });

  const syntax = await query(url, "SELEKT * FROM c");
  const unboundOffset = await query(url, "SELECT * FROM c OFFSET @skip LIMIT 1");

  assert.deepEqual([syntax.status, unboundOffset.status], [400, 400]);
});

test("FROM and JOIN append rows in place, and JOIN, VALUE and undefined fields answer as before", async () => {
  const compiled = require("@zeit/cosmosdb-query").default("SELECT f.id, c.name FROM f JOIN c IN f.children WHERE c.age > 1").code;
  // The package's own compilation copies the accumulator per row ([...$, row]): quadratic in the container.
  assert.doesNotMatch(compiled, /\[\.\.\.\$,/);
  assert.match(compiled, /\$\.push\(/);

  const url = await containerWith(
    { id: "a", tenant: "t", children: [{ name: "x", age: 1 }, { name: "y", age: 2 }] },
    { id: "b", tenant: "t", children: [{ name: "z", age: 3 }, { name: "w" }] },
    { id: "c", tenant: "t" },
  );
  const joined = await query(url, "SELECT f.id, c.name FROM f JOIN c IN f.children WHERE c.age > 1");
  assert.deepEqual(joined.json.Documents, [{ id: "a", name: "y" }, { id: "b", name: "z" }]);
  const ages = await query(url, "SELECT VALUE c.age FROM f JOIN c IN f.children");
  assert.deepEqual(ages.json.Documents, [1, 2, 3]);
  const counted = await query(url, "SELECT VALUE COUNT(1) FROM c");
  assert.deepEqual(counted.json.Documents, [3]);
});

test("a point read of a missing document or container is a 404", async () => {
  const url = await containerWith({ id: "a", tenant: "t1" });

  const found = await call("GET", `${url}/docs/a`, { headers: pkHeader("t1") });
  const missing = await call("GET", `${url}/docs/b`, { headers: pkHeader("t1") });
  const otherPartition = await call("GET", `${url}/docs/a`, { headers: pkHeader("t2") });
  const noContainer = await call("GET", "/dbs/db/colls/nothing/docs/a", { headers: pkHeader("t1") });

  assert.equal(found.status, 200);
  assert.equal(found.json.id, "a");
  assert.deepEqual([missing.status, otherPartition.status, noContainer.status], [404, 404, 404]);
  assert.equal(missing.json.code, "NotFound");
});

test("the incremental change feed returns what changed after its etag, oldest first", async () => {
  const url = await containerWith({ id: "a", tenant: "t1" }, { id: "b", tenant: "t2" });
  const feed = (headers) => call("GET", `${url}/docs`, { headers: { "a-im": "Incremental feed", "x-ms-documentdb-partitionkeyrangeid": "0", ...headers } });

  const fromBeginning = await feed({});
  const fromNow = await feed({ "if-none-match": "*" });
  const nothingNew = await feed({ "if-none-match": fromBeginning.headers.get("etag") });
  await call("PUT", `${url}/docs/a`, { body: { id: "a", tenant: "t1", changed: true }, headers: pkHeader("t1") });
  await call("POST", `${url}/docs`, { body: { id: "c", tenant: "t1" }, headers: pkHeader("t1") });
  const sinceBeginning = await feed({ "if-none-match": fromBeginning.headers.get("etag") });
  const sinceNow = await feed({ "if-none-match": fromNow.headers.get("etag"), "x-ms-max-item-count": "1" });
  const t2Only = await feed(pkHeader("t2"));
  const foreignEtag = await feed({ "if-none-match": "0b13d2b2-4f02-4083-b87c-6696bbb98f0d" });

  assert.deepEqual([fromBeginning.status, ids(fromBeginning)], [200, ["a", "b"]]);
  assert.deepEqual([fromNow.status, fromNow.headers.get("x-ms-item-count")], [304, "0"]);
  assert.deepEqual([nothingNew.status, nothingNew.headers.get("etag")], [304, fromBeginning.headers.get("etag")]);
  assert.deepEqual(ids(sinceBeginning), ["a", "c"]);
  assert.equal(sinceBeginning.json.Documents[0].changed, true);
  assert.deepEqual([ids(sinceNow), sinceNow.headers.get("x-ms-item-count")], [["a"], "1"]);
  assert.deepEqual(ids(t2Only), ["b"]);
  assert.equal(foreignEtag.status, 400);
});

test("a change feed started at a time skips documents last written before it", async () => {
  const url = await containerWith({ id: "a", tenant: "t1" }, { id: "b", tenant: "t2" });
  const feed = (headers) => call("GET", `${url}/docs`, { headers: { "a-im": "Incremental feed", ...headers } });
  const hourAgo = new Date(Date.now() - 3600_000).toUTCString();
  const inAnHour = new Date(Date.now() + 3600_000).toUTCString();

  const fromHourAgo = await feed({ "if-modified-since": hourAgo });
  const fromInAnHour = await feed({ "if-modified-since": inAnHour });
  await call("POST", `${url}/docs`, { body: { id: "c", tenant: "t1" }, headers: pkHeader("t1") });
  const resumed = await feed({ "if-none-match": fromInAnHour.headers.get("etag") });

  assert.deepEqual(ids(fromHourAgo), ["a", "b"]);
  assert.equal(fromInAnHour.status, 304);
  assert.deepEqual(ids(resumed), ["c"]);
});

test("a plain read feed (no A-IM) still lists the documents", async () => {
  const url = await containerWith({ id: "a", tenant: "t1" }, { id: "b", tenant: "t2" });

  const response = await call("GET", `${url}/docs`);

  assert.deepEqual([response.status, ids(response)], [200, ["a", "b"]]);
});

test("a write that prefers return=minimal is answered with its status and etag and no document", async () => {
  const url = await containerWith();
  const minimal = { ...pkHeader("t"), prefer: "return=minimal" };

  const created = await call("POST", `${url}/docs`, { body: { id: "m", tenant: "t", n: 1 }, headers: minimal });
  const replaced = await call("PUT", `${url}/docs/m`, { body: { id: "m", tenant: "t", n: 2 }, headers: minimal });
  const upserted = await call("POST", `${url}/docs`, { body: { id: "m", tenant: "t", n: 3 }, headers: { ...minimal, "x-ms-documentdb-is-upsert": "True" } });
  const conflict = await call("POST", `${url}/docs`, { body: { id: "m", tenant: "t" }, headers: minimal });
  const full = await call("POST", `${url}/docs`, { body: { id: "f", tenant: "t" }, headers: pkHeader("t") });
  const read = await call("GET", `${url}/docs/m`, { headers: pkHeader("t") });

  assert.deepEqual([created.status, replaced.status, upserted.status], [201, 200, 200]);
  for (const answer of [created, replaced, upserted]) {
    assert.equal(answer.json, undefined);
    assert.ok(answer.headers.get("etag"));
  }
  assert.equal(upserted.headers.get("etag"), read.json._etag);
  assert.equal(read.json.n, 3);
  assert.equal(conflict.status, 409);
  assert.ok(conflict.json.message !== undefined, "an error keeps its body");
  assert.equal(full.json.id, "f");
});

test("a transactional batch is refused as not implemented", async () => {
  const url = await containerWith();

  const response = await call("POST", `${url}/docs`, { body: [], headers: { "x-ms-cosmos-is-batch-request": "True", ...pkHeader("t1") } });

  assert.deepEqual([response.status, response.json.code], [501, "NotImplemented"]);
});

test("connections are kept alive between requests", async () => {
  const url = await containerWith({ id: "a", tenant: "t1" });
  const before = connections;

  for (let i = 0; i < 5; i += 1) {
    const response = await call("GET", `${url}/docs/a`, { headers: pkHeader("t1") });
    assert.notEqual(response.headers.get("connection"), "close");
  }

  assert.ok(connections - before <= 1, `${connections - before} connections for 5 sequential requests`);
});

test("the command line prints one ready line with the port and exits when stdin closes", async () => {
  const child = spawn(process.execPath, [path.join(__dirname, "..", "server.js"), "--port", "0", "--exit-with-stdin"]);
  const exited = new Promise((resolve) => child.on("exit", resolve));

  const line = await new Promise((resolve) => child.stdout.once("data", (chunk) => resolve(chunk.toString())));
  const { port } = line.match(/^cosmos-local listening on http:\/\/127\.0\.0\.1:(?<port>\d+)\n$/).groups;
  const meta = await fetch(`http://127.0.0.1:${port}/`);
  child.stdin.end();

  assert.equal(meta.status, 200);
  assert.equal(await exited, 0);
});
