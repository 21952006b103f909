/**
 * Loads Prisma's schema engine compiled to WebAssembly without Node flags.
 * The package is a wasm-bindgen "bundler" build (it imports the .wasm file as a module),
 * so we instantiate the .wasm ourselves with the JS glue as its import object.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

type Engine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
};

export async function loadSchemaEngine(): Promise<Engine> {
  const pkgDir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const glue = await import(pathToFileURL(path.join(pkgDir, 'schema_engine_bg.js')).href);
  const bytes = readFileSync(path.join(pkgDir, 'schema_engine_bg.wasm'));
  // `WebAssembly` is a Node global that @types/node does not declare for the es2023 lib.
  const wasm = (globalThis as unknown as { WebAssembly: { instantiate(b: Buffer, i: object): Promise<{ instance: { exports: object } }> } }).WebAssembly;
  const { instance } = await wasm.instantiate(bytes, { './schema_engine_bg.js': glue });
  (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY ??= { set_message: () => {} };
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  // A datamodel-to-datamodel diff never connects; the engine still wants an adapter factory.
  // The engine expects the factory wrapped the way Prisma's CLI wraps it (results as values).
  const factory = new PrismaPg({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
  return glue.SchemaEngine.new({ datamodels: undefined }, () => {}, bindMigrationAwareSqlAdapterFactory(factory));
}
