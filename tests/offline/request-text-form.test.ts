/** The text form of an activation request (docs/offline-activation.md §2): the contract's example decodes to its JSON. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { identityHashes } from '../../src/offline/licence-file-claims';
import { ActivationRequest } from '../../src/offline/offline.schemas';
import { decodeRequestText, encodeRequestText } from '../../src/offline/request-text-form';
import { identityHash, requestText } from '../support/offline-files';

const doc = readFileSync(path.resolve(__dirname, '../../docs/offline-activation.md'), 'utf8');
const json = JSON.parse(/```json\n(\{[\s\S]*?\})\n```/.exec(doc)![1]);
const text = /```\n(-----BEGIN NOMINA ACTIVATION REQUEST-----[\s\S]*?-----END NOMINA ACTIVATION REQUEST-----)\n```/.exec(doc)![1];

describe('the text form of an activation request', () => {
  it("decodes the contract's example to the contract's JSON, which is a valid request", () => {
    expect(decodeRequestText(text)).toEqual({ ok: true, value: json });
    expect(ActivationRequest.safeParse(json).success).toBe(true);
  });

  it('round-trips, in lines of at most 64 characters, and matches the test helper byte for byte', () => {
    const encoded = encodeRequestText(json);
    expect(encoded).toBe(requestText(json));
    expect(encoded.split('\n').slice(1, -1).every((line) => line.length <= 64)).toBe(true);
    expect(decodeRequestText(encoded)).toEqual({ ok: true, value: json });
  });

  it('ignores white space, the surrounding text and missing armour lines; refuses what is not one', () => {
    const body = text.split('\n').slice(1, -1).join('');
    expect(decodeRequestText(`Dear support,\n${text.replace(/\n/g, '\r\n   ')}\n--\nJan`)).toEqual({ ok: true, value: json });
    expect(decodeRequestText(body.replace(/(.{10})/g, '$1 '))).toEqual({ ok: true, value: json });
    expect(decodeRequestText('-----BEGIN NOMINA ACTIVATION REQUEST-----\nAAAA')).toMatchObject({ ok: false });
    expect(decodeRequestText('not base64!')).toMatchObject({ ok: false });
    expect(decodeRequestText(body.slice(0, 40))).toMatchObject({ ok: false });
    expect(decodeRequestText('{ "half": ')).toMatchObject({ ok: false });
  });

  it('refuses a text that would inflate beyond 16 kB (a zip bomb costs nothing)', () => {
    const bomb = encodeRequestText({ padding: 'x'.repeat(1_000_000) });
    expect(bomb.length).toBeLessThan(5_000);
    expect(decodeRequestText(bomb)).toMatchObject({ ok: false });
  });
});

describe('the identity hashes of a licence file', () => {
  it('hash the normalised NT account, PC name and canonical MACs, salted with the nonce', () => {
    const device = ActivationRequest.shape.device.parse({ ntUsername: ' JDoe ', ntDomain: 'Contoso', pcName: 'laptop-42', macAddresses: ['00-1a-2b-3c-4d-5e'] });
    expect(identityHashes('n0nce-123', device)).toEqual({
      user: identityHash('n0nce-123', 'contoso\\jdoe'), pc: identityHash('n0nce-123', 'LAPTOP-42'), macs: [identityHash('n0nce-123', '00:1A:2B:3C:4D:5E')],
    });
    const noDomain = ActivationRequest.shape.device.parse({ ntUsername: 'jdoe', pcName: 'PC', macAddresses: [] });
    expect(identityHashes('n0nce-123', noDomain)).toEqual({ user: identityHash('n0nce-123', 'jdoe'), pc: identityHash('n0nce-123', 'PC'), macs: [] });
    expect(identityHashes('another-nonce', device).user).not.toBe(identityHashes('n0nce-123', device).user);
  });
});
