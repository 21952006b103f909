/**
 * Seeds a realistic licence base fast with multi-row inserts (unnest of arrays): customers,
 * holders with encrypted fields and data keys, licences with key digests, bound NT accounts and
 * devices with their MACs — the same digests, blind indexes and ciphertexts the service writes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { generateKey } from '../../client-sdk/src/key-format';
import { DEVICE_FIELDS } from '../../src/devices/device-crypto';
import { ntAccountIndex } from '../../src/devices/device-identity';
import { keyDigest } from '../../src/licences/licence-keys';
import type { Services } from '../../src/services';

export interface SeededDevice { key: string; ntUsername: string; ntDomain: string; pcName: string; mac: string }

async function insert(client: Client, table: string, columns: [string, string][], rows: unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += 5000) {
    const batch = rows.slice(start, start + 5000);
    const arrays = columns.map((_, c) => batch.map((row) => row[c]));
    const names = columns.map(([name]) => `"${name}"`).join(', ');
    const unnest = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
    await client.query(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${unnest})`, arrays);
  }
}

function mac(n: number): string {
  const hex = (0x0010_0000_0000 + n).toString(16).padStart(12, '0').toUpperCase();
  return hex.match(/../g)!.join(':');
}

export async function seed(client: Client, services: Services, licences: number, devicesPerLicence: number): Promise<{ product: string; devices: SeededDevice[] }> {
  const now = new Date().toISOString();
  const product = 'BENCH';
  const productId = randomUUID();
  const policyId = randomUUID();
  await client.query(`INSERT INTO products (id, code, name, "createdAt", "updatedAt") VALUES ($1, $2, 'Benchmark', $3, $3)`, [productId, product, now]);
  await client.query(`INSERT INTO policies (id, "productId", name, "maxMachines", "maxUsers", entitlements, "createdAt", "updatedAt")
    VALUES ($1, $2, 'bench', $3, 1, ARRAY['core','export'], $4, $4)`, [policyId, productId, devicesPerLicence, now]);

  const customers: unknown[][] = [];
  for (let i = 0; i < licences / 10; i++) customers.push([randomUUID(), `Organisation ${i}`, `organisation ${i}`, 'BE', now, now, now]);
  await insert(client, 'customers', [['id', 'uuid'], ['name', 'text'], ['nameSearch', 'text'], ['country', 'text'], ['agreementStartsAt', 'timestamp'], ['createdAt', 'timestamp'], ['updatedAt', 'timestamp']], customers);

  const contacts: unknown[][] = []; const keys: unknown[][] = []; const rows: unknown[][] = [];
  const users: unknown[][] = []; const devices: unknown[][] = []; const macs: unknown[][] = [];
  const seeded: SeededDevice[] = [];
  const pepper = services.config.secrets.keyPepper;
  for (let i = 0; i < licences; i++) {
    const holderId = randomUUID();
    const dataKey = randomBytes(32);
    const seal = (field: string, value: string) => services.subjects.encryptWith(dataKey, holderId, field, value);
    const { wrapped, keyId } = services.keyring.wrap(dataKey, `subject:${holderId}`);
    keys.push([holderId, Buffer.from(wrapped), keyId, now]);
    const email = `holder${i}@bench.test`;
    contacts.push([holderId, customers[i % customers.length][0], seal('contact.firstName', 'Jan'), seal('contact.lastName', `Peeters ${i}`),
      seal('contact.email', email), services.blindIndex.of('email', email), now, now]);
    const key = generateKey(product, (n) => randomBytes(n));
    const licenceId = randomUUID();
    rows.push([licenceId, customers[i % customers.length][0], holderId, policyId, productId, keyDigest(pepper, key), key.slice(-4), now, now, now]);
    const ntUsername = `user${i}`;
    const ntDomain = 'BENCH';
    const account = `${ntDomain}\\${ntUsername}`;
    const accountIndex = ntAccountIndex(services.blindIndex, ntDomain, ntUsername);
    users.push([randomUUID(), licenceId, accountIndex, seal(DEVICE_FIELDS.boundAccount, account), now]);
    for (let j = 0; j < devicesPerLicence; j++) {
      const deviceId = randomUUID();
      const pcName = `PC-${i}-${j}`;
      const address = mac(i * devicesPerLicence + j);
      devices.push([deviceId, licenceId, services.blindIndex.of('pc_name', pcName), seal(DEVICE_FIELDS.pcName, pcName), seal(DEVICE_FIELDS.lastNtAccount, account), accountIndex, now, now]);
      macs.push([randomUUID(), deviceId, licenceId, services.blindIndex.of('mac', address), seal(DEVICE_FIELDS.mac, address), now, now]);
      seeded.push({ key, ntUsername, ntDomain, pcName, mac: address });
    }
  }
  // Data keys live in the key vault (its own database since issue 11), not in the main database.
  for (let start = 0; start < keys.length; start += 50) {
    await Promise.all(keys.slice(start, start + 50).map(([id, wrapped, keyId]) => services.subjects.vault.insertIfAbsent(id as string, wrapped as Buffer, keyId as string)));
  }
  await insert(client, 'contacts', [['id', 'uuid'], ['customerId', 'uuid'], ['firstNameEnc', 'text'], ['lastNameEnc', 'text'], ['emailEnc', 'text'], ['emailIndex', 'text'], ['createdAt', 'timestamp'], ['updatedAt', 'timestamp']], contacts);
  await insert(client, 'licences', [['id', 'uuid'], ['customerId', 'uuid'], ['holderId', 'uuid'], ['policyId', 'uuid'], ['productId', 'uuid'], ['keyDigest', 'text'], ['keyLast4', 'text'], ['validFrom', 'timestamp'], ['createdAt', 'timestamp'], ['updatedAt', 'timestamp']], rows);
  await insert(client, 'licence_users', [['id', 'uuid'], ['licenceId', 'uuid'], ['ntAccountIndex', 'text'], ['ntAccountEnc', 'text'], ['boundAt', 'timestamp']], users);
  await insert(client, 'devices', [['id', 'uuid'], ['licenceId', 'uuid'], ['pcNameIndex', 'text'], ['pcNameEnc', 'text'], ['lastNtAccountEnc', 'text'], ['lastNtAccountIndex', 'text'], ['firstSeenAt', 'timestamp'], ['lastSeenAt', 'timestamp']], devices);
  await insert(client, 'device_macs', [['id', 'uuid'], ['deviceId', 'uuid'], ['licenceId', 'uuid'], ['macIndex', 'text'], ['macEnc', 'text'], ['firstSeenAt', 'timestamp'], ['lastSeenAt', 'timestamp']], macs);
  // Array columns cannot travel inside unnest(): set them in one statement each.
  await client.query(`UPDATE contacts SET roles = '{licence_holder}'`);
  await client.query(`UPDATE licences SET entitlements = '{}'`);
  await client.query('VACUUM ANALYZE');
  return { product, devices: seeded };
}
