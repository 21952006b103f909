/**
 * Child process of the crash test: a desktop app that starts the SDK against the real server
 * and tracks numbered events (e0, e1, …) without end while the background flush sends them.
 * After each track() it prints how many events it has tracked: every event counted there is on
 * disk. The parent SIGKILLs it in the middle of a flush — no shutdown, no exit handler.
 */
import { NominaClient, type StartOptions } from '../../../client-sdk/src/index';

async function main(): Promise<void> {
  const options = JSON.parse(process.env.CHILD_OPTIONS!) as StartOptions;
  const client = new NominaClient({ ...options, env: {}, hookProcessExit: false });
  const verdict = await client.start();
  process.stdout.write(`started ${verdict.code}\n`);
  for (let tracked = 0; ; ) {
    client.track(`e${tracked}`);
    tracked += 1;
    process.stdout.write(`tracked ${tracked}\n`); // synchronous on a pipe (Linux): printed means tracked
    await new Promise((resolve) => setImmediate(resolve)); // lets the background flush run
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
