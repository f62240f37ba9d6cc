/**
 * Hostile input on the platform webhooks (`POST /webhooks/zalo`, `POST /webhooks/messenger`) of the
 * running app: arbitrary bytes, arbitrary JSON, events shaped almost like the real ones, garbage
 * signatures, and validly signed but malformed or hostile events. The webhook must never answer
 * 5xx to input (a platform would redeliver it forever), must refuse what is not signed, must say
 * why it refuses a signed body, and must store nothing for what it refuses.
 */
import { createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { testDriverKinds } from '../support/db';
import { eventually } from '../support/app';
import { signZaloWebhook, zaloFollowEvent, zaloMediaEvent, zaloReceiptEvent, zaloSubmitInfoEvent, zaloTextEvent } from '../fakes/zalo';
import { messengerEvents, messengerWebhookBody, signMessengerWebhook } from '../fakes/graph';
import { almost, arbitraryBody, contentType, garbageHeader, hostileText, messageText, textOf, wireSafe } from './arbitraries';
import { countRows, fcParams, isServerError, useHostileApp, WEBHOOK_KEYS } from './support';

const ZALO_KEYS = WEBHOOK_KEYS.zalo;
const APP_SECRET = WEBHOOK_KEYS.messenger.appSecret;

interface Answer {
  status: number;
  text: string;
}

async function post(url: string, body: Buffer | string, headers: Record<string, string | undefined>): Promise<Answer> {
  const clean = Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
  const res = await fetch(url, { method: 'POST', headers: clean, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: res.status, text: await res.text() };
}

/** A JSON `{error}` answer with a non-empty reason. */
function reason(answer: Answer): string {
  const parsed = JSON.parse(answer.text) as { error?: unknown };
  if (typeof parsed.error !== 'string' || parsed.error.trim() === '') throw new Error(`no reason in ${answer.status} ${answer.text}`);
  return parsed.error;
}

// --- Zalo event arbitraries, built from the documented shapes (test/fakes/zalo) ---
const zaloUserId = fc.stringMatching(/^[1-9]\d{9,18}$/);
const zaloEvent = fc.oneof(
  fc.record({ userId: zaloUserId, text: hostileText(30) }).map((o) => zaloTextEvent({ appId: ZALO_KEYS.appId, ...o })),
  fc
    .record({ userId: zaloUserId, type: fc.constantFrom('image', 'sticker', 'file', 'location', 'audio', 'video', 'gif', 'link') })
    .map((o) => zaloMediaEvent({ appId: ZALO_KEYS.appId, ...o })),
  fc.record({ userId: zaloUserId, unfollow: fc.boolean() }).map((o) => zaloFollowEvent({ appId: ZALO_KEYS.appId, ...o })),
  fc
    .record({ userId: zaloUserId, name: hostileText(10), phone: fc.oneof(hostileText(10), fc.stringMatching(/^(84|0)\d{9}$/)), address: hostileText(10) })
    .map((o) => zaloSubmitInfoEvent({ appId: ZALO_KEYS.appId, ...o })),
  fc
    .record({ userId: zaloUserId, kind: fc.constantFrom('user_received_message', 'user_seen_message', 'oa_send_text') as fc.Arbitrary<'user_received_message' | 'user_seen_message' | 'oa_send_text'> })
    .map((o) => zaloReceiptEvent({ appId: ZALO_KEYS.appId, ...o })),
);

/** Any JSON object with a `timestamp`, so a signature can be computed and the parser is reached. */
const timestampedJson = fc
  .tuple(fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }), fc.oneof(fc.stringMatching(/^\d{1,16}$/), fc.nat(), hostileText(8).filter((s) => s !== '')))
  .map(([obj, timestamp]) => ({ ...obj, timestamp }));

// --- Messenger event arbitraries, built from the documented shapes (test/fakes/graph) ---
const psid = fc.stringMatching(/^[1-9]\d{14,16}$/);
const messagingEvent = fc.oneof(
  fc.record({ p: psid, text: hostileText(30) }).map(({ p, text }) => messengerEvents.text(p, text)),
  fc.record({ p: psid, title: hostileText(10), payload: hostileText(10) }).map(({ p, title, payload }) => messengerEvents.quickReply(p, title, payload)),
  fc.record({ p: psid, payload: hostileText(10), ref: fc.option(hostileText(10), { nil: undefined }) }).map(({ p, payload, ref }) => messengerEvents.postback(p, payload, { ref })),
  fc.record({ p: psid, ref: hostileText(10) }).map(({ p, ref }) => messengerEvents.referral(p, ref)),
  fc.record({ p: psid, type: fc.constantFrom('image', 'audio', 'video', 'file', 'location', 'fallback') as fc.Arbitrary<'image'> }).map(({ p, type }) => messengerEvents.attachment(p, type)),
  psid.map((p) => messengerEvents.sticker(p)),
  psid.map((p) => messengerEvents.delivery(p)),
  psid.map((p) => messengerEvents.read(p)),
  fc.record({ p: psid, text: hostileText(10) }).map(({ p, text }) => messengerEvents.echo(p, text)),
);
const messengerBatch = fc.array(fc.array(messagingEvent, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }).map((b) => messengerWebhookBody(b));

describe.each(testDriverKinds())('hostile webhook input [%s]', (kind) => {
  const h = useHostileApp(kind);
  let zaloUrl = '';
  let messengerUrl = '';
  const stored = () => countRows(h.db().database, 'inbound_events');

  beforeAll(() => {
    zaloUrl = `${h.app().baseUrl}/webhooks/zalo`;
    messengerUrl = `${h.app().baseUrl}/webhooks/messenger`;
  });

  describe('Zalo', () => {
    it('never stores and never fails on unsigned or wrongly signed bytes: 401 without a signature, 400/401 otherwise', async () => {
      await fc.assert(
        fc.asyncProperty(arbitraryBody, garbageHeader, contentType, async (body, signature, type) => {
          const before = await stored();
          const res = await post(zaloUrl, body, { 'content-type': type, 'x-zevent-signature': wireSafe(signature) });
          expect(isServerError(res.status)).toBe(false);
          if (!wireSafe(signature)) expect(res.status).toBe(401);
          else expect([400, 401]).toContain(res.status);
          reason(res);
          expect(await stored()).toBe(before);
        }),
        fcParams(150),
      );
    });

    it('answers signed arbitrary JSON objects with 200 (ignored) or a 400 reason, storing nothing for a 400', async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(timestampedJson, almost(zaloEvent, 4)), async (value) => {
          const before = await stored();
          const { rawBody, headers } = signZaloWebhook(value as object, ZALO_KEYS);
          const res = await post(zaloUrl, rawBody, headers);
          expect(isServerError(res.status)).toBe(false);
          expect([200, 400, 401]).toContain(res.status);
          // Without a usable timestamp the signature cannot be checked: refused as unsigned.
          const ts = (value as { timestamp?: unknown }).timestamp;
          if (!((typeof ts === 'string' && ts !== '') || typeof ts === 'number')) expect(res.status).toBe(401);
          const after = await stored();
          if (res.status === 200) expect(after - before).toBeLessThanOrEqual(1);
          else {
            reason(res);
            expect(after).toBe(before);
          }
        }),
        {
          ...fcParams(150),
          // Found by this property (500 "could not store the event"): a NUL in a shared address.
          examples: [[zaloSubmitInfoEvent({ appId: ZALO_KEYS.appId, userId: '1000000000', name: '', phone: '84000000000', address: '\u0000' })]],
        },
      );
    });

    it('stores every real event exactly once however hostile its text, a redelivery not at all', async () => {
      await fc.assert(
        fc.asyncProperty(zaloUserId, messageText(60, [2_000, 20_000]), async (userId, text) => {
          const before = await stored();
          const event = zaloTextEvent({ appId: ZALO_KEYS.appId, userId, text: textOf(text), msgId: randomUUID() });
          const { rawBody, headers } = signZaloWebhook(event, ZALO_KEYS);
          const first = await post(zaloUrl, rawBody, headers);
          expect(`${first.status} ${first.text.slice(0, 200)}`).toBe('200 {}');
          expect(await stored()).toBe(before + 1);
          const again = await post(zaloUrl, rawBody, headers);
          expect(again.status).toBe(200);
          expect(await stored()).toBe(before + 1);
        }),
        {
          ...fcParams(40),
          // Found by this property (500 "could not store the event"): a text ending in half an emoji.
          examples: [['1000000000', '\ud83d']],
        },
      );
    });

    it('refuses a signed event whose bytes were changed after signing, and stores nothing', async () => {
      await fc.assert(
        fc.asyncProperty(zaloEvent, fc.nat(), fc.integer({ min: 1, max: 255 }), async (event, at, flip) => {
          const before = await stored();
          const { rawBody, headers } = signZaloWebhook(event, ZALO_KEYS);
          const bytes = Buffer.from(rawBody, 'utf8');
          const i = at % bytes.length;
          bytes[i] = bytes[i]! ^ flip;
          const res = await post(zaloUrl, bytes, headers);
          expect([400, 401]).toContain(res.status);
          reason(res);
          expect(await stored()).toBe(before);
        }),
        fcParams(120),
      );
    });
  });

  describe('Messenger', () => {
    it('refuses with 401 anything not signed with the app secret, whatever the bytes, and stores nothing', async () => {
      await fc.assert(
        fc.asyncProperty(arbitraryBody, garbageHeader, contentType, async (body, signature, type) => {
          const before = await stored();
          const res = await post(messengerUrl, body, { 'content-type': type, 'x-hub-signature-256': wireSafe(signature) });
          expect(res.status).toBe(401);
          reason(res);
          expect(await stored()).toBe(before);
        }),
        fcParams(150),
      );
    });

    it('answers signed arbitrary bytes and JSON with 200 or a 400 reason, never 5xx, storing nothing for a 400', async () => {
      const body = fc.oneof(
        arbitraryBody,
        fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
        almost(messengerBatch, 4).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
      );
      await fc.assert(
        fc.asyncProperty(body, contentType, async (raw, type) => {
          const before = await stored();
          const res = await post(messengerUrl, raw, { 'content-type': type, 'x-hub-signature-256': hmacOf(raw) });
          expect(isServerError(res.status)).toBe(false);
          // The body is read as sent whatever its content type (even none or a malformed one), so a
          // correct signature always passes and the bytes themselves decide.
          expect([200, 400]).toContain(res.status);
          if (res.status !== 200) {
            reason(res);
            expect(await stored()).toBe(before);
          } else expect(res.text).toBe('EVENT_RECEIVED');
        }),
        {
          ...fcParams(150),
          // Found by this property (500): a timestamp past what a JavaScript Date holds.
          examples: [[Buffer.from(JSON.stringify(messengerWebhookBody([{ ...messengerEvents.text('100000000000000', 'xin chào'), timestamp: 1e300 }]))), 'application/json']],
        },
      );
    });

    it('stores each message of a real batch exactly once however hostile its text, a redelivery not at all', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(psid, messageText(60, [2_000, 20_000])), { minLength: 1, maxLength: 3 }), async (pairs) => {
          const before = await stored();
          const messages = pairs.map(([p, t]) => [p, textOf(t)] as const);
          const body = messengerWebhookBody(messages.map(([p, t]) => messengerEvents.text(p, t)));
          const { rawBody, headers } = signMessengerWebhook(body, APP_SECRET);
          const first = await post(messengerUrl, rawBody, headers);
          expect(`${first.status} ${first.text.slice(0, 200)}`).toBe('200 EVENT_RECEIVED');
          // Texts that are empty after all carry nothing to answer and are skipped by design.
          const answerable = messages.filter(([, t]) => t !== '').length;
          expect(await stored()).toBe(before + answerable);
          expect((await post(messengerUrl, rawBody, headers)).status).toBe(200);
          expect(await stored()).toBe(before + answerable);
        }),
        {
          ...fcParams(40),
          // Found by this property (500 "could not store events"): a NUL in a message.
          examples: [[[['100000000000000', 'xin\u0000chào']]]],
        },
      );
    });
  });

  it('processed every event it accepted without a failure, and still answers a plain event', async () => {
    const { rawBody, headers } = signZaloWebhook(zaloTextEvent({ appId: ZALO_KEYS.appId, userId: '1234567890', text: 'xin chào' }), ZALO_KEYS);
    expect((await post(zaloUrl, rawBody, headers)).status).toBe(200);
    h.app().services.inbound.nudge();
    await eventually(async () => (await h.db().database.query(`select 1 from inbound_events where status = 'pending' and attempts = 0`)).length === 0, 60_000);
    const failures = await h.db().database.query<{ channel: string; last_error: string }>(
      'select channel, left(last_error, 300) as last_error from inbound_events where last_error is not null limit 5',
    );
    expect(failures).toEqual([]);
  });
});

/** `sha256=<hex>` over exactly these bytes with the Messenger app secret (as Meta signs). */
function hmacOf(raw: Buffer): string {
  return `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`;
}
