/**
 * Child process of the crash test: a desktop app that starts the SDK against the real server
 * and tracks numbered events (e0, e1, …) without end while the background flush sends them.
 * After each track() it appends how many events it has tracked to a progress file, with one
 * write() like the queue's own: every event counted there is on disk. (Not stdout: a pipe that is
 * full turns its writes asynchronous, and the last lines die with the process.) The parent
 * SIGKILLs it in the middle of a flush — no shutdown, no exit handler.
 */
import fs from 'node:fs';
import { NominaClient, type StartOptions } from '../../../client-sdk/src/index';

async function main(): Promise<void> {
  const options = JSON.parse(process.env.CHILD_OPTIONS!) as StartOptions;
  const client = new NominaClient({ ...options, env: {}, hookProcessExit: false });
  const verdict = await client.start();
  if (!verdict.valid) throw new Error(`licence refused: ${verdict.code}`);
  const progress = fs.openSync(process.env.CHILD_PROGRESS_FILE!, 'a');
  for (let tracked = 0; ; ) {
    client.track(`e${tracked}`);
    tracked += 1;
    fs.writeSync(progress, `${tracked}\n`);
    await new Promise((resolve) => setImmediate(resolve)); // lets the background flush run
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
