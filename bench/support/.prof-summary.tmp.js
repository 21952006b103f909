// Summarise a .cpuprofile: self time by function and by package, within optional windows (µs, monotonic).
const fs = require('fs');
const prof = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const windows = (process.argv[4] || '').split(';').filter(Boolean).map((w) => w.split('-').map(Number));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
let t = prof.startTime;
for (let i = 0; i < prof.samples.length; i++) {
  t += prof.timeDeltas[i];
  if (windows.length && !windows.some(([a, b]) => t >= a && t <= b)) continue;
  const d = prof.timeDeltas[i + 1] ?? 0;
  self.set(prof.samples[i], (self.get(prof.samples[i]) || 0) + d);
}
let total = 0, busy = 0; for (const [id, v] of self) { total += v; if (byId.get(id).callFrame.functionName !== '(idle)') busy += v; }
const byFn = new Map(), byFile = new Map();
for (const [id, v] of self) {
  const cf = byId.get(id).callFrame;
  if (cf.functionName === '(idle)') continue;
  let file = cf.url.replace(/.*node_modules\//, 'nm:').replace(/.*wt-perf-validate\//, '');
  const pkg = file.startsWith('nm:') ? file.split('/').slice(0, file.startsWith('nm:@') ? 2 : 1).join('/') : file;
  const key = `${cf.functionName || '(anon)'} ${file}:${cf.lineNumber}`;
  byFn.set(key, (byFn.get(key) || 0) + v); byFile.set(pkg || cf.functionName, (byFile.get(pkg || cf.functionName) || 0) + v);
}
const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${(100 * v / busy).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log(`window ms ${(total / 1000).toFixed(0)}, busy ${(100 * busy / total).toFixed(1)}% (percentages below are of busy time)`);
console.log(top(byFile, 35)); console.log('---'); console.log(top(byFn, Number(process.argv[3] || 40)));
