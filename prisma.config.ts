import { defineConfig } from 'prisma/config';

// Prisma's CLI wants a native schema engine it cannot download on our machines.
// `generate`, `validate` and `format` never run it, so any executable satisfies the check.
// Migrations are generated and applied by our own code (src/db/migrations.ts, scripts/create-migration.ts).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
