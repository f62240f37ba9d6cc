/**
 * Hostile input on the public web chat (`POST /api/webchat/messages`) of the running app: bodies of
 * the wrong shape and types, raw and invalid bytes, oversized bodies, and valid messages whose text
 * is hostile (NUL, half surrogates, RTL and zero-width marks, emoji, markup). A valid message is
 * always answered, an invalid one gets a 4xx with the reason, and nothing ever gets a 5xx. Markup a
 * citizen typed is shown escaped in the officials' inbox.
 */
import fc from 'fast-check';
import { testDriverKinds } from '../support/db';
import { almost, arbitraryBody, contentType, hostileText, messageText, NASTY_PIECES, textOf, wrongType } from './arbitraries';
import { fcParams, isServerError, useHostileApp } from './support';

const URL_PATH = '/api/webchat/messages';

interface Answer {
  status: number;
  body: { replies?: unknown; error?: unknown; issues?: unknown };
}

async function send(baseUrl: string, body: Buffer | string, type: string | undefined = 'application/json'): Promise<Answer> {
  const res = await fetch(`${baseUrl}${URL_PATH}`, {
    method: 'POST',
    headers: type === undefined ? {} : { 'content-type': type },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await res.text();
  let parsed: Answer['body'] = {};
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    throw new Error(`answer ${res.status} is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body: parsed };
}

/**
 * The documented contract of a message, written independently of the route's own schema. Text
 * counts without NUL characters, which carry nothing and which no database column stores (a
 * payload of only NUL is still a tap: it is answered, with a prompt to type).
 */
function isValidMessage(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const m = v as Record<string, unknown>;
  const meaningful = (s: string) => s.replace(/\u0000/g, '');
  if (typeof m.sessionId !== 'string' || !/^[A-Za-z0-9_-]{8,100}$/.test(m.sessionId)) return false;
  if (m.text !== undefined && (typeof m.text !== 'string' || m.text.length > 2000)) return false;
  if (m.payload !== undefined && (typeof m.payload !== 'string' || m.payload.length < 1 || m.payload.length > 1000)) return false;
  return (typeof m.text === 'string' && meaningful(m.text).trim() !== '') || m.payload !== undefined;
}

const sessionId = fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/);

/** Objects shaped like a message, valid or nearly so. */
const messageLike: fc.Arbitrary<unknown> = fc.oneof(
  almost(fc.record({ sessionId, text: hostileText(30) }), 3),
  almost(fc.record({ sessionId, payload: hostileText(10) }), 3),
  fc.record({ sessionId: fc.oneof(sessionId, wrongType, hostileText(12)), text: fc.oneof(hostileText(30), wrongType), payload: fc.oneof(hostileText(10), wrongType) }, { requiredKeys: [] }),
  fc.jsonValue({ maxDepth: 3 }),
);

describe.each(testDriverKinds())('hostile web chat input [%s]', (kind) => {
  const h = useHostileApp(kind);

  it('answers a valid message and refuses anything else with a 400 that says why', async () => {
    await fc.assert(
      fc.asyncProperty(messageLike, async (value) => {
        const res = await send(h.app().baseUrl, JSON.stringify(value) ?? 'null');
        if (isValidMessage(value)) {
          expect(`${res.status} ${JSON.stringify(res.body.error ?? '')}`).toBe('200 ""');
          expect(Array.isArray(res.body.replies)).toBe(true);
        } else {
          expect(res.status).toBe(400);
          expect(res.body.error).toEqual(expect.any(String));
          // A JSON object or array is checked field by field; anything else is refused by the JSON parser itself.
          if (value !== null && typeof value === 'object') {
            expect(res.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.any(String), message: expect.any(String) })]));
          }
        }
      }),
      fcParams(150),
    );
  });

  it('answers every valid message however hostile its text, with at least one reply', async () => {
    const text = messageText(60, [1_000, 2_000]).filter((t) => textOf(t).replace(/\u0000/g, '').trim() !== '' && textOf(t).length <= 2000);
    await fc.assert(
      fc.asyncProperty(sessionId, text, async (id, t) => {
        const res = await send(h.app().baseUrl, JSON.stringify({ sessionId: id, text: textOf(t) }));
        expect(`${res.status} ${JSON.stringify(res.body.error ?? '')}`).toBe('200 ""');
        expect((res.body.replies as unknown[]).length).toBeGreaterThan(0);
      }),
      fcParams(100),
    );
  });

  it('answers raw, invalid, mis-typed and oversized bodies with a 4xx JSON error, never a 5xx', async () => {
    const body = fc.oneof(
      arbitraryBody,
      // Invalid UTF-8 inside an otherwise well-formed message.
      fc.uint8Array({ minLength: 1, maxLength: 40 }).map((bad) => Buffer.concat([Buffer.from('{"sessionId":"abcdefgh12","text":"'), Buffer.from(bad), Buffer.from('"}')])),
      // Over the 100 kB body limit.
      fc.integer({ min: 101_000, max: 400_000 }).map((n) => Buffer.from(JSON.stringify({ sessionId: 'abcdefgh12', text: 'a'.repeat(n) }))),
    );
    await fc.assert(
      fc.asyncProperty(body, contentType, async (raw, type) => {
        const res = await send(h.app().baseUrl, raw, type);
        expect(isServerError(res.status)).toBe(false);
        if (res.status !== 200) {
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.body.error).toEqual(expect.any(String));
        }
      }),
      fcParams(150),
    );
  });

  it('shows markup a citizen typed as text in the inbox, never as markup', async () => {
    const { agent } = await h.signedIn('officer');
    const payload = fc.tuple(
      fc.constantFrom(
        (m: string) => `<script>alert("${m}")</script>`,
        (m: string) => `"><img src=x onerror=alert('${m}')>`,
        (m: string) => `</textarea><script data-m="${m}">x</script>`,
        (m: string) => `<a href="javascript:alert('${m}')">bấm</a>`,
      ),
      // Noise around the markup; characters the database cannot store are another property's business.
      fc.constantFrom('', ...NASTY_PIECES.filter((p) => !/[<>&"'\u0000\ud800\udfff]/.test(p))),
    );
    await fc.assert(
      fc.asyncProperty(sessionId, payload, fc.stringMatching(/^m[a-z0-9]{10}$/), async (id, [make, noise], marker) => {
        const text = `${noise}${make(marker)}${noise}`;
        const sent = await send(h.app().baseUrl, JSON.stringify({ sessionId: id, text }));
        expect(sent.status).toBe(200);
        const [conversation] = await h.db().database.query<{ id: string }>(
          "select id from conversations where channel = 'webchat' and channel_user_id = $1",
          [id],
        );
        const page = await agent.get(`/admin/inbox/${conversation!.id}`);
        expect(page.status).toBe(200);
        // Nothing the citizen typed opens a tag; the marker is there, inside escaped text.
        expect(page.text).not.toMatch(new RegExp(`<(script|img|a|textarea)[^>]*${marker}`));
        expect(page.text).not.toContain(`<script>alert("${marker}")`);
        expect(page.text).toContain(marker);
        expect(page.text).toMatch(/&lt;(script|a|\/textarea)|&quot;&gt;&lt;img/);
        const json = await agent.get(`/admin/inbox/${conversation!.id}/messages.json`);
        expect(json.status).toBe(200);
        expect(json.headers['content-type']).toMatch(/^application\/json/);
      }),
      fcParams(40),
    );
  });
});
