/**
 * Master keys wrap data keys. The first configured key wraps new material; every configured
 * key can unwrap, so keys rotate by adding a new one in front, re-wrapping (`nomina keys rewrap`),
 * then removing the old one.
 */
import { open, seal } from './aead';
import type { MasterKey } from './secrets';

export class Keyring {
  constructor(private readonly keys: MasterKey[]) {
    if (keys.length === 0) throw new Error('at least one master key is required');
  }

  get currentId(): string {
    return this.keys[0].id;
  }

  wrap(material: Buffer, context: string): { wrapped: string; keyId: string } {
    const current = this.keys[0];
    return { wrapped: seal(current.key, material, `wrap:${context}`), keyId: current.id };
  }

  unwrap(wrapped: string, keyId: string, context: string): Buffer {
    const key = this.keys.find((k) => k.id === keyId);
    if (!key) throw new Error(`master key "${keyId}" is not configured`);
    return open(key.key, wrapped, `wrap:${context}`);
  }
}
