// Azurite's Blob service (azurite-blob), plus one option of ours: --exit-with-stdin makes it exit
// when its standard input closes, so a test process that starts it and dies (without a chance to
// kill it) takes it along. Every other argument is azurite-blob's own (npx azurite-blob --help).
"use strict";

const exitWithStdin = process.argv.includes("--exit-with-stdin");
process.argv = process.argv.filter((arg) => arg !== "--exit-with-stdin");

require("azurite/dist/src/blob/main.js");

if (exitWithStdin) {
  process.stdin.on("end", () => process.exit(0)).resume();
}
