/**
 * One process at a time may open an embedded database: PGlite has no postmaster to arbitrate, and
 * two processes writing one data directory corrupt it (or each sees its own stale copy). A lock
 * file holding the owner's pid makes the second opener fail with a clear message instead; a lock
 * left by a process that died is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the live process holding the embedded database in `dir`, or null. */
export function dataDirHolder(dir: string): number | null {
  let owner: number;
  try {
    owner = Number(readFileSync(path.join(dir, 'nomina.lock'), 'utf8').trim());
  } catch {
    return null;
  }
  return Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner) ? owner : null;
}

export function lockDataDir(dir: string): () => void {
  const file = path.join(dir, 'nomina.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new Error(`the embedded database in ${dir} is in use by process ${owner} (is the service running? stop it first; if no such process is Nomina, delete ${file})`);
      }
      rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`could not lock the embedded database in ${dir}`);
}
