// One app start in a fresh process, for sdk.bench.js: `node cold-start.child.js <options.json> <SDK module>`.
// The first lines run once Node has booted and the app has its settings; from the clock on is what
// the SDK costs the app: loading it (require), reading storageDir, trying the server (which refuses
// the connection), verifying the saved token and answering.
// process.uptime() and hrtime, not performance.now(): the first use of the global `performance`
// loads a module, which must count as the SDK's cost when the SDK uses it, not as the harness's.
const fs = require('node:fs');
const options = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
// On a busy machine wall time includes waiting for a core; CPU time does not. process.cpuUsage()
// (getrusage: all of the process's threads, V8's compiler and GC helpers included) is exact. The
// main thread's own figure in /proc/<pid>/task/<pid>/schedstat, used before, is only brought up to
// date at scheduler events, so read by the running thread itself it lagged by up to a tick: on
// this machine it came out 2-3 ms above the wall time of an unloaded run.
const since = (start) => Number(process.hrtime.bigint() - start) / 1e6;

const cpuBeforeImport = process.cpuUsage();
const beforeImport = process.uptime() * 1000; // ms since this process started
const clock = process.hrtime.bigint();
const sdk = require(process.argv[3]);
const importMs = since(clock);
sdk.start(options).then((verdict) => {
  const sdkMs = since(clock);
  const cpu = process.cpuUsage(cpuBeforeImport);
  process.stdout.write(`${JSON.stringify({
    code: verdict.code, valid: verdict.valid, offline: verdict.offline, source: verdict.source,
    nodeBootMs: beforeImport, importMs, startMs: sdkMs - importMs, sdkMs, sinceProcessStartMs: beforeImport + sdkMs,
    sdkCpuMs: (cpu.user + cpu.system) / 1000,
  })}\n`);
}, (error) => {
  console.error(error);
  process.exitCode = 1;
});
