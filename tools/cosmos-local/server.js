"use strict";
// A local Cosmos DB for tests and the local host: @vercel/cosmosdb-server (in memory, plain HTTP)
// with the gaps filled that the .NET SDK (Gateway mode) falls into. We keep the package's storage,
// router and handlers and put our own request pipeline in front, because the package's server
// factory hides its account object and every fix below needs the stored documents.
// The package's lib/ modules are internal, which is why package.json pins it to one exact version.

const http = require("node:http");
const { randomUUID } = require("node:crypto");
const lib = "@vercel/cosmosdb-server/lib";
const Account = require(`${lib}/account`).default;
const packageRoute = require(`${lib}/routes`).default;
const router = require(`${lib}/router`).default;
const isTrue = require(`${lib}/true-header`).default;
const readJson = require(`${lib}/json`).default;
const readItems = require(`${lib}/handler/_read-items`).default;
const readDocuments = require(`${lib}/handler/read-documents`).default;
const createDocument = require(`${lib}/handler/create-document`).default;
const upsertDocument = require(`${lib}/handler/upsert-document`).default;
const replaceDocument = require(`${lib}/handler/replace-document`).default;
const patchDocument = require(`${lib}/handler/patch-document`).default;
const { parsePartitionKey } = require(`${lib}/utils/get-partition-from-header`);

// (7) The package compiles FROM (and each JOIN) to `rows.reduce(($, c) => [...$, { c }], [])`,
// which copies the accumulator once per document: quadratic, so a query over 100,000 documents
// ran for minutes (20,000 took 3.7 s, 10,000 0.24 s). We compile the same AST with each such
// step appending in place (`($.push(...), $)`), which is linear and yields the same rows.
const transform = require("@zeit/cosmosdb-query/lib/transformer").default;
const generate = require("@babel/generator").default;
const spreadsAccumulator = (node) => node && node.type === "ArrayExpression" && node.elements.length > 0
  && node.elements[0].type === "SpreadElement" && node.elements[0].argument.type === "Identifier" && node.elements[0].argument.name === "$";
const appending = (array) => ({
  type: "SequenceExpression",
  expressions: [
    {
      type: "CallExpression",
      callee: { type: "MemberExpression", object: { type: "Identifier", name: "$" }, property: { type: "Identifier", name: "push" } },
      arguments: array.elements.slice(1),
    },
    { type: "Identifier", name: "$" },
  ],
});
function appendInPlace(node) {
  if (!node || typeof node.type !== "string") return;
  if (node.type === "ArrowFunctionExpression" && node.params.length === 2 && node.params[0].name === "$") {
    if (spreadsAccumulator(node.body)) node.body = appending(node.body);
    else if (node.body.type === "ConditionalExpression" && spreadsAccumulator(node.body.consequent)) node.body.consequent = appending(node.body.consequent);
  }
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) value.forEach(appendInPlace);
    else if (value && typeof value === "object") appendInPlace(value);
  }
}
// The package's stripUndefined (applied to every result) copies arrays the same quadratic way.
const helpers = require("@zeit/cosmosdb-query/lib/helpers");
helpers.stripUndefined = function stripUndefined(value) {
  if (Array.isArray(value)) {
    const kept = [];
    for (const item of value) if (typeof item !== "undefined") kept.push(stripUndefined(item));
    return kept;
  }
  if (value && typeof value === "object") {
    const kept = {};
    for (const [key, item] of Object.entries(value)) if (typeof item !== "undefined") kept[key] = stripUndefined(item);
    return kept;
  }
  return value;
};
// A container's stored documents as they are: the package's documents.read() runs them through
// SELECT * first, which copies every one of them on every query.
const storedDocuments = (collection) => Array.from(collection.documents._data.values(), (item) => item.read());
const Query = Object.getPrototypeOf(require("@zeit/cosmosdb-query").default("SELECT 1"));
Object.defineProperty(Query, "code", {
  get() {
    if (!this._code) {
      const jsAst = transform(this.ast);
      appendInPlace(jsAst);
      this._code = generate(jsAst).code;
    }
    return this._code;
  },
});

const notFound = () => ({ code: "NotFound", message: "Entity with the specified id does not exist in the system." });

// (1) Before a cross-partition query the SDK asks the gateway for a query plan (its own planner
// is a native Windows x64 library). "No rewrites" makes it send the query text unchanged to the
// one partition key range the package creates per container, so ORDER BY, TOP, aggregates and
// OFFSET/LIMIT all run here, over every document, and come back in order.
const passThroughPlan = {
  partitionedQueryExecutionInfoVersion: 2,
  queryInfo: {
    distinctType: "None", top: null, offset: null, limit: null,
    orderBy: [], orderByExpressions: [], groupByExpressions: [], groupByAliases: [],
    aggregates: [], groupByAliasToAggregateType: {}, rewrittenQuery: "",
    hasSelectValue: false, dCountInfo: null, hasNonStreamingOrderBy: false,
  },
  queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }],
};

// (5) The package stamps only _ts (whole seconds), too coarse to order changes. Every document
// write gets the next number of this sequence as _lsn, which is also the change feed's etag.
let lastLsn = 0;
const stampingLsn = (handler) => async (account, req, res, params) => {
  const body = await handler(account, req, res, params);
  // The package returns the stored document itself, so the stamp lands in the store.
  if (res.statusCode === 200 || res.statusCode === 201) body._lsn = ++lastLsn;
  return body;
};

// (2) The package ignores the partition key header on queries and the change feed. The header is
// a JSON array with one value per path; {} stands for PartitionKey.None (the property is absent).
function inPartition(container, req) {
  const header = req.headers["x-ms-documentdb-partitionkey"];
  const paths = (container.partitionKey || {}).paths;
  if (!header || !paths) return () => true;
  const wanted = JSON.parse(header);
  const valueAt = (doc, path) => path.slice(1).split("/").reduce((v, key) => (v == null ? undefined : v[key]), doc);
  return (doc) => paths.every((path, i) => {
    const want = wanted[i] !== null && typeof wanted[i] === "object" ? undefined : wanted[i];
    return valueAt(doc, path) === want;
  });
}

// (3) The package's SQL parser has no OFFSET/LIMIT. It can only end a query, so we cut it off the
// end (a literal or a parameter each) and apply it to the full result.
const offsetLimitClause = /\s+OFFSET\s+(\d+|@\w+)\s+LIMIT\s+(\d+|@\w+)\s*$/i;
function takeOffsetLimit({ query, parameters = [] }) {
  const match = offsetLimitClause.exec(query);
  if (!match) return { sql: query };
  const resolve = (token) => {
    const value = token.startsWith("@") ? (parameters.find((p) => p.name === token) || {}).value : Number(token);
    if (!Number.isInteger(value) || value < 0) throw new Error(`OFFSET and LIMIT take non-negative integers, not ${token}`);
    return value;
  };
  return { sql: query.slice(0, match.index), offset: resolve(match[1]), limit: resolve(match[2]) };
}

async function queryDocuments(account, req, res, { dbId, collId }) {
  const spec = await readJson(req);
  if (isTrue(req, "x-ms-cosmos-is-query-plan-request")) return passThroughPlan;
  const collection = account.database(dbId).collection(collId);
  const container = collection.read();
  if (!container) {
    res.statusCode = 404;
    return notFound();
  }
  return readItems(req, res, "Documents", async ({ maxItemCount, continuation }) => {
    try {
      const { sql, offset, limit } = takeOffsetLimit(spec);
      const docs = storedDocuments(collection).filter(inPartition(container, req));
      // _getQuery is the package's cache of compiled queries: compiling is the slow part.
      const run = (paging) => collection.documents._getQuery(sql).exec(docs, {
        parameters: spec.parameters,
        udf: collection.userDefinedFunctions.functions,
        compositeIndexes: (container.indexingPolicy || {}).compositeIndexes || [],
        ...paging,
      });
      if (offset === undefined) return run({ maxItemCount, continuation });
      // The engine's own continuation cannot resume inside a slice, so OFFSET/LIMIT pages by
      // position; the result is recomputed per page, which is fine for a test store.
      const rows = run({}).result.slice(offset, offset + limit);
      const start = continuation ? continuation.position : 0;
      const end = maxItemCount > 0 ? start + maxItemCount : rows.length;
      return { result: rows.slice(start, end), continuation: end < rows.length ? { position: end } : null };
    } catch (err) {
      // A syntax error, or e.g. ORDER BY on two paths without a composite index, as in Azure.
      res.statusCode = 400;
      return { code: "BadRequest", message: err.message };
    }
  });
}

// (4) The package's point read dereferences the missing document and answers 500.
function readDocument(account, req, res, { dbId, collId, docId }) {
  const collection = account.database(dbId).collection(collId);
  const partitionKey = parsePartitionKey(req.headers["x-ms-documentdb-partitionkey"] || "[{}]", docId);
  const doc = collection.read() && collection.document(docId, partitionKey).read();
  res.statusCode = doc ? 200 : 404;
  return doc || notFound();
}

// (5) The package's change feed is a stub. Incremental (latest version) feed: the documents
// written after the etag in If-None-Match ("*": from now, absent: from the beginning), oldest
// first, and the last one's _lsn as the next etag. The SDK parses x-ms-item-count on 304s too.
function readFeed(account, req, res, params) {
  if ((req.headers["a-im"] || "").toLowerCase() !== "incremental feed") return readDocuments(account, req, res, params);
  const collection = account.database(params.dbId).collection(params.collId);
  const container = collection.read();
  if (!container) {
    res.statusCode = 404;
    return notFound();
  }
  const ifNoneMatch = req.headers["if-none-match"];
  const since = ifNoneMatch === "*" ? lastLsn : Number(ifNoneMatch || 0);
  if (Number.isNaN(since)) {
    res.statusCode = 400;
    return { code: "BadRequest", message: `${ifNoneMatch} is not an etag of this change feed` };
  }
  // ChangeFeedStartFrom.Time sends If-Modified-Since instead of an etag; _ts has whole seconds.
  const startTime = Date.parse(req.headers["if-modified-since"]);
  const fromSecond = ifNoneMatch || Number.isNaN(startTime) ? 0 : Math.floor(startTime / 1000);
  const pageSize = Number(req.headers["x-ms-max-item-count"]) > 0 ? Number(req.headers["x-ms-max-item-count"]) : Infinity;
  const changes = storedDocuments(collection)
    .filter((doc) => doc._lsn > since && doc._ts >= fromSecond)
    .filter(inPartition(container, req))
    .sort((a, b) => a._lsn - b._lsn)
    .slice(0, pageSize);
  res.setHeader("x-ms-item-count", String(changes.length));
  if (changes.length === 0) {
    // Nothing up to the newest write concerns this reader, so it can resume from there.
    res.statusCode = 304;
    res.setHeader("etag", String(lastLsn));
    return undefined;
  }
  res.setHeader("etag", String(changes[changes.length - 1]._lsn));
  return { _rid: container._rid, Documents: changes, _count: changes.length };
}

// The SDK sends a TransactionalBatch as binary HybridRow, which the package cannot read (it
// would answer 500 with a JSON parse error); say plainly that it is not supported.
function rejectBatch(_account, _req, res) {
  res.statusCode = 501;
  return { code: "NotImplemented", message: "cosmos-local does not support TransactionalBatch." };
}

const docs = "/dbs/:dbId/colls/:collId/docs";
const doc = `${docs}/:docId`;
const fixedRoute = router({
  GET: { [doc]: readDocument, [docs]: readFeed },
  POST: { [docs]: stampingLsn(createDocument) },
  POST_UPSERT: { [docs]: stampingLsn(upsertDocument) },
  POST_QUERY: { [docs]: queryDocuments },
  POST_BATCH: { [docs]: rejectBatch },
  PUT: { [doc]: stampingLsn(replaceDocument) },
  PATCH: { [doc]: stampingLsn(patchDocument) },
});

const isReturnMinimal = (req) => (req.headers.prefer || "").split(/[;,]/).some((p) => p.trim().toLowerCase() === "return=minimal");

// Mirrors the package's own pipeline (same headers, same error bodies) with our routes first.
async function handle(account, req, res) {
  const fixed = fixedRoute(req);
  const matched = fixed || packageRoute(req);
  let body;
  if (!matched) {
    res.statusCode = 400;
    body = { message: "no route" };
  } else {
    try {
      body = await matched[1](account, req, res, matched[0]);
    } catch (err) {
      console.error(err);
      res.statusCode = 500;
      body = { code: "InternalServerError", message: err.message };
    }
  }
  if (res.statusCode > 399 && body && !body.message) body.message = "";
  if (body && body._etag) res.setHeader("etag", body._etag);
  // (8) A write sent with `Prefer: return=minimal` (the SDK's EnableContentResponseOnWrite = false)
  // is answered, as Azure answers it, with its status and headers and no document.
  if (res.statusCode < 300 && isReturnMinimal(req)) body = undefined;
  res.setHeader("content-type", "application/json");
  res.setHeader("x-ms-activity-id", randomUUID());
  res.setHeader("x-ms-request-charge", "1");
  // The package's answer for the partition key range feed the SDK polls: one range, never changing.
  if (!fixed && req.headers["a-im"] && res.statusCode === 200) {
    if (req.headers["if-none-match"]) res.statusCode = 304;
    res.setHeader("etag", "1");
  }
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

function createServer() {
  let account;
  const server = http.createServer((req, res) => {
    handle(account, req, res).catch((err) => {
      console.error(err);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  // (6) Node keeps HTTP/1.1 connections open by default (the package sent "connection: close").
  // The server must not close an idle connection first, or a request the client sends on it at
  // that moment fails; .NET's pool drops idle connections after one minute, so wait longer.
  server.keepAliveTimeout = 5 * 60 * 1000;
  server.on("listening", () => {
    account = new Account("127.0.0.1", server.address().port);
  });
  return server;
}

module.exports = { createServer };

if (require.main === module) {
  const args = process.argv.slice(2);
  const portArg = args.indexOf("--port");
  const port = Number(portArg >= 0 ? args[portArg + 1] : process.env.COSMOS_LOCAL_PORT || 8081);
  const server = createServer();
  server.listen(port, "127.0.0.1", () => {
    console.log(`cosmos-local listening on http://127.0.0.1:${server.address().port}`);
  });
  // A test host that dies without disposing its fixture must not leave the server running: it
  // holds our stdin, and the pipe closes when it goes.
  if (args.includes("--exit-with-stdin")) {
    process.stdin.on("end", () => process.exit(0)).resume();
  }
}
