/**
 * The service: configuration → database (migrated) → services → HTTP. Stops gracefully on
 * SIGINT/SIGTERM: stop accepting, finish requests in flight, close the database.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { drainFraudEvaluations } from './fraud/fraud-runtime';
import { buildServices } from './services';
import { indexContactNames } from './contacts/index-contact-names';
import { indexNtUsers } from './devices/index-nt-users';
import { startPrivacyServices } from './privacy/privacy-background';
import { bootstrapAdmin } from './staff/bootstrap-admin';
import { startTelemetryMaintenance } from './telemetry/telemetry-maintenance';
import { configOrExit, openMigratedDatabase, startupLogger } from './startup';
import { startWebhookWorker } from './webhooks/webhook-worker';

async function main(): Promise<void> {
  const { config, notices } = configOrExit(process.env);
  const logger = startupLogger(config);
  for (const notice of notices) logger.warn(notice);
  const db = await openMigratedDatabase(config, logger);
  const services = buildServices(config, db, logger);
  const url = baseUrl(config.host, config.port);
  await bootstrapAdmin(services, url);
  const named = await indexContactNames(services); // contacts from before name search
  if (named > 0) logger.info({ contacts: named }, 'name search indexes added to existing contacts');
  const users = await indexNtUsers(services); // bound accounts from before search by user name alone
  if (users > 0) logger.info({ accounts: users }, 'user-name search indexes added to bound accounts');
  startTelemetryMaintenance(services); // telemetry partitions ahead and daily roll-ups (unref'd timer)
  startPrivacyServices(services); // the daily retention run (unref'd timer)
  startWebhookWorker(services); // outbox fan-out, deliveries with retries, expiry/deadline scan (stopped by services.close)

  const server = createApp(services).listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo; // the one the system chose when PORT=0
    const listening = baseUrl(config.host, port);
    logger.info(
      { port, host: config.host, database: db.kind },
      `Nomina listening on ${listening} — API docs ${listening}/docs, staff console ${listening}/console, privacy page ${listening}/privacy, metrics ${listening}/metrics`,
    );
  });
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(async () => {
      await drainFraudEvaluations(services); // signals evaluated after responses already sent
      await services.close();
      await db.close();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** The address a person on this machine types: a wildcard listen address is reached on loopback. */
function baseUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${reachable}:${port}`;
}

main().catch((error) => {
  console.error('Nomina failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
