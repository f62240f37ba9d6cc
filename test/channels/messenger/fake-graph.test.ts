/**
 * The fake Graph API must refuse what Meta refuses, or the client tests against it prove nothing.
 */
import { startFakeGraph, type FakeGraph } from '../../fakes/graph';

const TOKEN = 'EAAG-fake-token';
const PSID = '24000000000000003';
let fake: FakeGraph;

async function post(body: unknown, token = TOKEN): Promise<{ status: number; json: any }> {
  const res = await fetch(`${fake.baseUrl}/${fake.version}/me/messages?access_token=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

const ok = (message: unknown, over: Record<string, unknown> = {}) => ({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message, ...over });
const qr = (title: string) => ({ content_type: 'text', title, payload: 'P' });
const button = (n: number) => ({ type: 'postback', title: `B${n}`, payload: `P${n}` });

beforeAll(async () => {
  fake = await startFakeGraph({ pageAccessToken: TOKEN });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

describe('fake Graph API', () => {
  it('accepts a valid message and answers {recipient_id, message_id}', async () => {
    const res = await post(ok({ text: 'x'.repeat(2000), quick_replies: Array.from({ length: 13 }, () => qr('a'.repeat(20))) }));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ recipient_id: PSID, message_id: expect.stringMatching(/^m_/) });
    expect(fake.received).toHaveLength(1);
  });

  it.each([
    ['no recipient', { messaging_type: 'RESPONSE', message: { text: 'x' } }],
    ['no messaging_type', { recipient: { id: PSID }, message: { text: 'x' } }],
    ['an unknown messaging_type', ok({ text: 'x' }, { messaging_type: 'NON_PROMOTIONAL_SUBSCRIPTION' })],
    ['MESSAGE_TAG without tag', ok({ text: 'x' }, { messaging_type: 'MESSAGE_TAG' })],
    ['a tag without MESSAGE_TAG', ok({ text: 'x' }, { tag: 'HUMAN_AGENT' })],
    ['a deprecated tag', ok({ text: 'x' }, { messaging_type: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' })],
    ['text over 2000 characters', ok({ text: 'x'.repeat(2001) })],
    ['empty text', ok({ text: '' })],
    ['text and attachment together', ok({ text: 'x', attachment: { type: 'template', payload: { template_type: 'button', text: 'x', buttons: [button(1)] } } })],
    ['a quick reply title over 20 characters', ok({ text: 'x', quick_replies: [qr('a'.repeat(21))] })],
    ['14 quick replies', ok({ text: 'x', quick_replies: Array.from({ length: 14 }, () => qr('a')) })],
    ['a quick reply without payload', ok({ text: 'x', quick_replies: [{ content_type: 'text', title: 'a' }] })],
    ['4 buttons in a template', ok({ attachment: { type: 'template', payload: { template_type: 'button', text: 'x', buttons: [1, 2, 3, 4].map(button) } } })],
    ['template text over 640 characters', ok({ attachment: { type: 'template', payload: { template_type: 'button', text: 'x'.repeat(641), buttons: [button(1)] } } })],
    ['a button title over 20 characters', ok({ attachment: { type: 'template', payload: { template_type: 'button', text: 'x', buttons: [{ ...button(1), title: 'b'.repeat(21) }] } } })],
    ['a web_url button with a bad url', ok({ attachment: { type: 'template', payload: { template_type: 'button', text: 'x', buttons: [{ type: 'web_url', title: 'x', url: 'javascript:alert(1)' }] } } })],
    ['malformed JSON', '{"recipient":'],
  ])('refuses %s with HTTP 400 and code 100', async (_name, body) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 100, type: expect.any(String), message: expect.any(String), fbtrace_id: expect.any(String) });
    expect(fake.received).toHaveLength(0);
  });

  it('refuses a wrong token with 190 and records every request', async () => {
    const res = await post(ok({ text: 'x' }), 'EAAG-wrong');
    expect(res).toMatchObject({ status: 400, json: { error: { code: 190, type: 'OAuthException' } } });
    expect(fake.requests).toEqual([expect.objectContaining({ status: 400, errorCode: 190 })]);
  });

  it('accepts tagged sends to a person outside the window, refuses untagged ones', async () => {
    fake.setOutsideWindow(PSID);
    expect((await post(ok({ text: 'x' }))).json.error).toMatchObject({ code: 10, error_subcode: 2018278 });
    expect((await post(ok({ text: 'x' }, { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }))).status).toBe(200);
  });

  it('answers only the Send API paths', async () => {
    const res = await fetch(`${fake.baseUrl}/${fake.version}/me/accounts?access_token=${TOKEN}`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(400);
  });

  it('waits for messages and times out clearly', async () => {
    const waiting = fake.waitForMessages(1, 2000);
    await post(ok({ text: 'x' }));
    await expect(waiting).resolves.toHaveLength(1);
    await expect(fake.waitForMessages(2, 50)).rejects.toThrow(/1 of 2 messages/);
  });
});
