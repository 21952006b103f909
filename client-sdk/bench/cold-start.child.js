// One app start in a fresh process, for sdk.bench.js: `node cold-start.child.js <options.json> <sdk dist dir>`.
// The first line runs once Node has booted; from here on is what the SDK costs the app: loading it,
// reading storageDir, verifying the saved token and answering (the server refuses connections).
const beforeImport = performance.now(); // ms since this process started (performance.timeOrigin)
const cpuBeforeImport = process.cpuUsage();
// On a busy machine wall time includes waiting for a core; the main thread's own CPU time does
// not (Linux: nanoseconds on CPU, /proc/<pid>/task/<pid>/schedstat).
const schedstat = `/proc/${process.pid}/task/${process.pid}/schedstat`;
const mainThreadCpuMs = () => {
  try {
    return Number(require('node:fs').readFileSync(schedstat, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
};
const mainCpuBeforeImport = mainThreadCpuMs();
const options = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8'));
const sdk = require(require('node:path').join(process.argv[3], 'index.js'));
const imported = performance.now();
sdk.start(options).then((verdict) => {
  const answered = performance.now();
  const cpu = process.cpuUsage(cpuBeforeImport);
  const mainThreadMs = mainThreadCpuMs() - mainCpuBeforeImport;
  process.stdout.write(`${JSON.stringify({
    code: verdict.code, valid: verdict.valid, offline: verdict.offline,
    nodeBootMs: beforeImport, importMs: imported - beforeImport, startMs: answered - imported,
    sdkMs: answered - beforeImport, sdkCpuMs: (cpu.user + cpu.system) / 1000, sdkMainThreadCpuMs: mainThreadMs, sinceProcessStartMs: answered,
  })}\n`);
}, (error) => {
  console.error(error);
  process.exitCode = 1;
});
