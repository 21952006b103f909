import type { Response } from 'express';

/**
 * Writes a streamed answer chunk by chunk, honouring backpressure: each write waits for the socket
 * to drain, and fails once the client has gone away, so a slow or vanished reader holds no memory.
 */
export function responseWriter(res: Response): (chunk: string) => Promise<void> {
  return (chunk) => new Promise<void>((resolve, reject) => {
    if (res.destroyed) return reject(new Error('client went away'));
    if (res.write(chunk)) return resolve();
    const done = () => { res.off('close', gone); resolve(); };
    const gone = () => { res.off('drain', done); reject(new Error('client went away')); };
    res.once('drain', done);
    res.once('close', gone);
  });
}
