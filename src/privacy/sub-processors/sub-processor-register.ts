/**
 * The sub-processors in force. The configuration names the initial ones (NOMINA_SUB_PROCESSORS);
 * they are written to the database the first time the register is read, and from then on staff
 * maintain the register through the API (each change noticed to the customers). Seeding happens
 * only while the register has no history at all, so a configured list never overrides staff's
 * changes, and a restart with another configuration changes nothing.
 */
import type { SubProcessor } from '../../generated/prisma/client';
import type { Services } from '../../services';
import type { DataCategoryId } from '../register/catalogue';

const seeded = new WeakSet<Services>();
/** Any constant: serialises concurrent first reads (several instances starting at once). */
const SEED_LOCK = 72_707_370;

async function seedFromConfiguration(services: Services): Promise<void> {
  if (seeded.has(services)) return;
  await services.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${SEED_LOCK})`);
    if ((await tx.subProcessorChange.count()) > 0 || (await tx.subProcessor.count()) > 0) return;
    const at = services.now();
    for (const s of services.config.privacy.subProcessors) {
      const row = await tx.subProcessor.create({ data: { name: s.name, service: s.service, location: s.location, categories: s.categories, createdAt: at } });
      await tx.subProcessorChange.create({ data: { subProcessorId: row.id, kind: 'seeded', at, after: presentSubProcessor(row) as object } });
    }
  });
  seeded.add(services);
}

export async function currentSubProcessors(services: Services): Promise<SubProcessor[]> {
  await seedFromConfiguration(services);
  return services.prisma.subProcessor.findMany({ where: { removedAt: null }, orderBy: [{ createdAt: 'asc' }, { name: 'asc' }] });
}

export function presentSubProcessor(s: SubProcessor) {
  return { id: s.id, name: s.name, service: s.service, location: s.location, categories: s.categories as DataCategoryId[], createdAt: s.createdAt.toISOString(), updatedAt: s.updatedAt.toISOString(), removedAt: s.removedAt?.toISOString() ?? null };
}

/** The register entries as the register document and exports show them. */
export async function registerSubProcessors(services: Services) {
  return (await currentSubProcessors(services)).map((s) => ({ name: s.name, service: s.service, location: s.location, categories: s.categories as DataCategoryId[] }));
}
