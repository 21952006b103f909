/**
 * Child process of the crash test: erases one subject and SIGKILLs itself right after the
 * N-th store is done — a real crash, no clean-up, no finally blocks.
 */
import { openDatabase } from '../../../src/db/database';
import { createLogger } from '../../../src/logger';
import { eraseSubject } from '../../../src/privacy/erasure/erase-subject';
import { buildServices } from '../../../src/services';
import { testConfig } from '../../support/test-config';

async function main() {
  const secrets = JSON.parse(process.env.CHILD_SECRETS!) as Record<string, string>;
  const config = testConfig({
    databaseUrl: process.env.CHILD_DATABASE_URL, dataDir: process.env.CHILD_DATA_DIR!,
    secrets: {
      masterKeys: [{ id: 'k1', key: Buffer.from(secrets.master, 'base64') }],
      indexKey: Buffer.from(secrets.index, 'base64'), keyPepper: Buffer.from(secrets.pepper, 'base64'),
      telemetryKey: Buffer.from(secrets.telemetry, 'base64'), tokenSecret: Buffer.from(secrets.token, 'base64'),
    },
  });
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const services = buildServices(config, db, createLogger('silent'));
  const crashAfter = Number(process.env.CHILD_CRASH_AFTER);
  let done = 0;
  await eraseSubject(services, {
    contactId: process.env.CHILD_CONTACT_ID!, actor: { type: 'system', id: 'crash-test' }, endRunningLicences: true,
    onStoreDone: (store) => {
      done += 1;
      process.stdout.write(`done ${store}\n`);
      if (done === crashAfter) process.kill(process.pid, 'SIGKILL');
    },
  });
  process.stdout.write('finished\n');
  await db.close();
}

main().catch((error) => { console.error(error); process.exit(1); });
