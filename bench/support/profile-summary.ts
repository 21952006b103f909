/**
 * Reads a V8 CPU profile (`--cpu-prof`) and prints self time by package or file and by function,
 * as shares of the busy (non-idle) time, optionally only within windows on the monotonic clock —
 * the "profile window <pid> <from µs> <to µs>" lines bench:validate prints when
 * BENCH_SERVICE_NODE_ARGS is set, so the warm-up is left out:
 *
 *   BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" BENCH_PARTS=own-process node dist/bench/validate.bench.js
 *   node dist/bench/support/profile-summary.js /tmp/prof/CPU.….cpuprofile 40 "from-to;from-to"
 */
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
interface Profile { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] }

const [file, count = '40', windowList = ''] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const windows = windowList.split(';').filter(Boolean).map((w) => w.split('-').map(Number));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
let at = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  at += profile.timeDeltas[i];
  if (windows.length > 0 && !windows.some(([from, to]) => at >= from && at <= to)) continue;
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
}
let total = 0;
let busy = 0;
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const [id, time] of self) {
  total += time;
  const frame = nodes.get(id)!.callFrame;
  if (frame.functionName === '(idle)') continue;
  busy += time;
  const where = frame.url.replace(/.*node_modules\//, 'npm:').replace(/.*\/dist\//, 'dist/');
  const pkg = where.startsWith('npm:') ? where.split('/').slice(0, where.startsWith('npm:@') ? 2 : 1).join('/') : where || frame.functionName;
  const fn = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + time);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + time);
}
const top = (shares: Map<string, number>, n: number) => [...shares].sort((a, b) => b[1] - a[1]).slice(0, n)
  .map(([name, time]) => `${((100 * time) / busy).toFixed(1).padStart(5)} %  ${name}`).join('\n');
console.log(`${(total / 1000).toFixed(0)} ms sampled, ${((100 * busy) / total).toFixed(1)} % busy; shares of the busy time:`);
console.log(top(byPackage, 35));
console.log('---');
console.log(top(byFunction, Number(count)));
