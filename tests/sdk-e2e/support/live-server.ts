/**
 * The real Nomina app on a real TCP port. It can be stopped and started again on the same port,
 * so a client's serverUrl stays the same while "the server is down" (a refused connection, as
 * the desktop app meets it).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export class LiveServer {
  private server: http.Server | null = null;
  private port = 0;

  constructor(private readonly handler: http.RequestListener) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = http.createServer(this.handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    // Keep-alive sockets from earlier requests would otherwise keep answering.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
