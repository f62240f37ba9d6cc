import { computeZaloMac, macFromHeader, verifyZaloSignature } from '../../../src/channels/zalo';
import { signZaloWebhook, zaloTextEvent } from '../../fakes/zalo';
import { APP_ID, OA_ID, OA_SECRET_KEY, USER_ID } from './helpers';

const keys = { appId: APP_ID, oaSecretKey: OA_SECRET_KEY };

function signed(text = 'Xin chào, cho hỏi thủ tục khai sinh') {
  const event = zaloTextEvent({ appId: APP_ID, userId: USER_ID, text });
  const { rawBody, headers } = signZaloWebhook(event, keys);
  return { rawBody: Buffer.from(rawBody, 'utf8'), header: headers['x-zevent-signature'], timestamp: event.timestamp };
}

describe('Zalo webhook signature', () => {
  it('accepts the signature Zalo computes: mac=sha256(app_id + body + timestamp + secret)', () => {
    const s = signed();
    expect(verifyZaloSignature({ ...s, appId: APP_ID, oaSecretKey: OA_SECRET_KEY })).toBe('app_id');
    // The header is `mac=` + the plain SHA-256 hex (not an HMAC).
    expect(s.header).toBe(`mac=${computeZaloMac(APP_ID, s.rawBody, s.timestamp, OA_SECRET_KEY)}`);
  });

  it('refuses a signature made with another secret or another app id', () => {
    const s = signed();
    expect(verifyZaloSignature({ ...s, appId: APP_ID, oaSecretKey: 'another-secret' })).toBeNull();
    expect(verifyZaloSignature({ ...s, appId: '1111111111', oaSecretKey: OA_SECRET_KEY })).toBeNull();
  });

  it('refuses a missing or malformed header', () => {
    const s = signed();
    expect(verifyZaloSignature({ ...s, header: undefined, appId: APP_ID, oaSecretKey: OA_SECRET_KEY })).toBeNull();
    expect(verifyZaloSignature({ ...s, header: 'mac=', appId: APP_ID, oaSecretKey: OA_SECRET_KEY })).toBeNull();
    expect(verifyZaloSignature({ ...s, header: 'mac=zz', appId: APP_ID, oaSecretKey: OA_SECRET_KEY })).toBeNull();
  });

  it('refuses a tampered body and a tampered timestamp', () => {
    const s = signed('gửi 100 nghìn');
    const tampered = Buffer.from(s.rawBody.toString('utf8').replace('100', '900'), 'utf8');
    expect(verifyZaloSignature({ ...s, rawBody: tampered, appId: APP_ID, oaSecretKey: OA_SECRET_KEY })).toBeNull();
    expect(verifyZaloSignature({ ...s, timestamp: String(Number(s.timestamp) + 1), appId: APP_ID, oaSecretKey: OA_SECRET_KEY })).toBeNull();
  });

  it('is computed over the raw bytes: re-serialising the JSON with other spacing breaks it', () => {
    const s = signed();
    const respaced = Buffer.from(JSON.stringify(JSON.parse(s.rawBody.toString('utf8')), null, 1), 'utf8');
    expect(verifyZaloSignature({ ...s, rawBody: respaced, appId: APP_ID, oaSecretKey: OA_SECRET_KEY })).toBeNull();
  });

  it('accepts the OA id as first term only when an OA id is configured', () => {
    const event = zaloTextEvent({ appId: APP_ID, userId: USER_ID, text: 'chào' });
    const { rawBody, headers } = signZaloWebhook(event, { appId: OA_ID, oaSecretKey: OA_SECRET_KEY });
    const input = { header: headers['x-zevent-signature'], rawBody: Buffer.from(rawBody), timestamp: event.timestamp, appId: APP_ID, oaSecretKey: OA_SECRET_KEY };
    expect(verifyZaloSignature(input)).toBeNull();
    expect(verifyZaloSignature({ ...input, oaId: OA_ID })).toBe('oa_id');
  });

  it('reads the header with or without the mac= prefix, case-insensitively', () => {
    const hex = 'a'.repeat(64);
    expect(macFromHeader(`mac=${hex}`)).toBe(hex);
    expect(macFromHeader(` MAC=${hex.toUpperCase()} `)).toBe(hex);
    expect(macFromHeader(hex)).toBe(hex);
    expect(macFromHeader(`mac=${hex}0`)).toBeUndefined();
  });
});
