import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Files in storageDir are written whole or not at all, so a crash never leaves half a token. */
export function writeFileAtomic(filePath: string, contents: string): void {
  const temporaryPath = `${filePath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(temporaryPath, 'w', 0o600);
  try {
    fs.writeSync(fd, contents);
    fs.fsyncSync(fd); // data on disk before the rename makes it visible
  } finally {
    fs.closeSync(fd);
  }
  renameWithRetry(temporaryPath, filePath);
  fsyncDirectory(path.dirname(filePath));
}

// On Windows a virus scanner or indexer briefly holding the target makes rename fail with EPERM/EBUSY.
export function renameWithRetry(from: string, to: string, attempts = 5): void {
  for (let attempt = 1; ; attempt++) {
    try {
      fs.renameSync(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= attempts || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 * attempt);
    }
  }
}

/** Makes a rename durable on POSIX; Windows cannot open directories and journals renames itself. */
export function fsyncDirectory(directory: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = fs.openSync(directory, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic.
  }
}

/** The parsed file, or undefined when it is missing or unreadable (callers treat both as "none"). */
export function readJsonFile(filePath: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(filePath, 'utf8'));
  } catch {
    return undefined;
  }
}

export function removeFile(filePath: string): void {
  fs.rmSync(filePath, { force: true });
}

export function ensureDirectory(directory: string): void {
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
}
