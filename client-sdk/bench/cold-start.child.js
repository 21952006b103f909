// One app start in a fresh process, for sdk.bench.js: `node cold-start.child.js <options.json> <SDK module>`.
// The first lines run once Node has booted and the app has its settings; from the clock on is what
// the SDK costs the app: loading it (require), reading storageDir, trying the server (which refuses
// the connection), verifying the saved token and answering.
// process.uptime() and hrtime, not performance.now(): the first use of the global `performance`
// loads a module, which must count as the SDK's cost when the SDK uses it, not as the harness's.
const fs = require('node:fs');
const options = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
// On a busy machine wall time includes waiting for a core; the main thread's own CPU time does
// not (Linux: nanoseconds on CPU, /proc/<pid>/task/<pid>/schedstat).
const schedstat = `/proc/${process.pid}/task/${process.pid}/schedstat`;
const mainThreadCpuMs = () => {
  try {
    return Number(fs.readFileSync(schedstat, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
};
const since = (start) => Number(process.hrtime.bigint() - start) / 1e6;

const mainCpuBeforeImport = mainThreadCpuMs();
const cpuBeforeImport = process.cpuUsage();
const beforeImport = process.uptime() * 1000; // ms since this process started
const clock = process.hrtime.bigint();
const sdk = require(process.argv[3]);
const importMs = since(clock);
sdk.start(options).then((verdict) => {
  const sdkMs = since(clock);
  const cpu = process.cpuUsage(cpuBeforeImport);
  const mainThreadMs = mainThreadCpuMs() - mainCpuBeforeImport;
  process.stdout.write(`${JSON.stringify({
    code: verdict.code, valid: verdict.valid, offline: verdict.offline, source: verdict.source,
    nodeBootMs: beforeImport, importMs, startMs: sdkMs - importMs, sdkMs, sinceProcessStartMs: beforeImport + sdkMs,
    sdkCpuMs: (cpu.user + cpu.system) / 1000, sdkMainThreadCpuMs: mainThreadMs,
  })}\n`);
}, (error) => {
  console.error(error);
  process.exitCode = 1;
});
