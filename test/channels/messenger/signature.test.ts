import { computeMessengerSignature, verifyMessengerSignature } from '../../../src/channels/messenger';
import { signMessengerWebhook } from '../../fakes/graph';

const SECRET = 'app-secret-for-tests';
const body = Buffer.from(JSON.stringify({ object: 'page', entry: [{ id: '1', time: 1, messaging: [] }] }));

describe('X-Hub-Signature-256', () => {
  it('accepts the signature Meta computes over the raw body (independent implementation in the fake)', () => {
    const { rawBody, headers } = signMessengerWebhook(body.toString(), SECRET);
    expect(verifyMessengerSignature(Buffer.from(rawBody), headers['x-hub-signature-256'], SECRET)).toBe(true);
    expect(computeMessengerSignature(body, SECRET)).toBe(headers['x-hub-signature-256']);
  });

  it('accepts upper-case hex and surrounding whitespace', () => {
    const sig = computeMessengerSignature(body, SECRET);
    expect(verifyMessengerSignature(body, ` sha256=${sig.slice(7).toUpperCase()} `, SECRET)).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyMessengerSignature(body, computeMessengerSignature(body, 'other-secret'), SECRET)).toBe(false);
  });

  it('rejects a missing, empty or repeated header', () => {
    expect(verifyMessengerSignature(body, undefined, SECRET)).toBe(false);
    expect(verifyMessengerSignature(body, '', SECRET)).toBe(false);
    const sig = computeMessengerSignature(body, SECRET);
    expect(verifyMessengerSignature(body, [sig, sig], SECRET)).toBe(false);
  });

  it('rejects a tampered body (one byte changed) under the original signature', () => {
    const sig = computeMessengerSignature(body, SECRET);
    const tampered = Buffer.from(body);
    tampered[tampered.length - 3] = tampered[tampered.length - 3]! ^ 1;
    expect(verifyMessengerSignature(tampered, sig, SECRET)).toBe(false);
  });

  it('rejects malformed values: sha1, no prefix, truncated or non-hex digests', () => {
    const hex = computeMessengerSignature(body, SECRET).slice(7);
    expect(verifyMessengerSignature(body, `sha1=${hex}`, SECRET)).toBe(false);
    expect(verifyMessengerSignature(body, hex, SECRET)).toBe(false);
    expect(verifyMessengerSignature(body, `sha256=${hex.slice(0, 62)}`, SECRET)).toBe(false);
    expect(verifyMessengerSignature(body, `sha256=${'z'.repeat(64)}`, SECRET)).toBe(false);
  });

  it('never verifies with an empty secret', () => {
    expect(verifyMessengerSignature(body, computeMessengerSignature(body, ''), '')).toBe(false);
  });
});
