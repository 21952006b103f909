#!/usr/bin/env node
// `npx nomina …` — runs the compiled CLI (npm run build, done by `npm start` and `npm run nomina`).
require('../dist/src/cli/main.js').runCli(process.argv);
