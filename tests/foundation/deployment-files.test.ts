/**
 * No Docker engine runs on our machines, so the compose file is checked by reading it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..', '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));

describe('docker-compose.yml', () => {
  it('declares PostgreSQL, the service and Prometheus', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['nomina', 'postgres', 'prometheus']);
    expect(compose.services.postgres.image).toMatch(/^postgres:15/);
    expect(compose.services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
  });

  it('runs the service in production mode on PostgreSQL with every required secret', () => {
    const service = compose.services.nomina;
    expect(service.build).toBe('.');
    expect(service.ports).toContain('3000:3000');
    expect(service.depends_on.postgres.condition).toBe('service_healthy');
    expect(service.environment.NODE_ENV).toBe('production');
    expect(service.environment.HOST).toBe('0.0.0.0');
    expect(service.environment.DATABASE_URL).toMatch(/^postgres:\/\/nomina:.*@postgres:5432\/nomina$/);
    for (const secret of ['NOMINA_MASTER_KEYS', 'NOMINA_INDEX_KEY', 'NOMINA_KEY_PEPPER', 'NOMINA_TELEMETRY_KEY', 'NOMINA_TOKEN_SECRET',
      'NOMINA_CONTROLLER_NAME', 'NOMINA_CONTROLLER_ADDRESS', 'NOMINA_CONTROLLER_ENTERPRISE_NUMBER', 'NOMINA_DPO_NAME', 'NOMINA_DPO_EMAIL', 'NOMINA_SUB_PROCESSORS', 'MAIL_FROM']) {
      expect(service.environment[secret]).toMatch(/:\?/); // compose refuses to start without it
    }
  });

  it('has Prometheus scrape the service', () => {
    const mounted = compose.services.prometheus.volumes[0].split(':')[0];
    const scrape = parse(readFileSync(path.join(root, mounted), 'utf8'));
    expect(scrape.scrape_configs[0].static_configs[0].targets).toEqual(['nomina:3000']);
    expect(scrape.scrape_configs[0].metrics_path).toBe('/metrics');
  });

  it('has a Dockerfile that builds and runs the compiled service', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/RUN npm ci/);
    // npm run build builds the console too (served at /console from dist/web/console)
    expect(dockerfile).toMatch(/COPY web \.\/web[\s\S]*RUN npm run build/);
    expect(dockerfile).toMatch(/CMD \["node", "--enable-source-maps", "dist\/src\/main.js"\]/);
  });

  it('runs the container with the Node flags of npm start (the benchmarks measure those)', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];
    const start = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(cmd.join(' ')).toBe(start);
  });
});
