/**
 * Request bodies over their limit get a 413 with a clear message — never a 5xx, never read whole —
 * on every parser: the JSON APIs (100 KB), both webhooks' raw bodies (1 MB), the console's forms and
 * the licence import they carry (5 MB, 1,000 fields).
 */
import path from 'node:path';
import { loadTranslator } from '../../src/i18n';
import { describeEachDatabase } from '../support/db';
import { useRunningApp } from './support';

const i18n = loadTranslator(path.resolve(__dirname, '../../locales'));
const KB = 1024;
const MB = 1024 * KB;

describeEachDatabase('request body limits', (getDb) => {
  const app = useRunningApp(getDb);
  const post = (p: string, body: string | ReadableStream<Uint8Array>, headers: Record<string, string>) =>
    fetch(`${app().baseUrl}${p}`, { method: 'POST', body, headers, redirect: 'manual', duplex: 'half' } as RequestInit);
  const json = { 'content-type': 'application/json' };

  it('refuses JSON over 100 KB with 413 and a message, and reads a body just under it', async () => {
    const over = await post('/api/webchat/messages', JSON.stringify({ sessionId: 'limits-1', text: 'a'.repeat(150 * KB) }), json);
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({ error: 'payload_too_large', message: i18n.t('limits.bodyTooLarge', { limit: '100 KB' }) });
    // Under the limit the body is read and judged on its content (text longer than 2,000 characters).
    const under = await post('/api/webchat/messages', JSON.stringify({ sessionId: 'limits-1', text: 'a'.repeat(90 * KB) }), json);
    expect(under.status).toBe(400);
    const api = await post('/api/appraisal/bookings', JSON.stringify({ businessName: 'x'.repeat(200 * KB) }), json);
    expect(api.status).toBe(413);
  });

  it('refuses an oversized body sent without Content-Length (chunked) while reading it', async () => {
    const chunk = new TextEncoder().encode(`"${'b'.repeat(64 * KB)}",`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ === 0) controller.enqueue(new TextEncoder().encode('{"sessionId":"limits-2","parts":['));
        else if (sent < 40) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await post('/api/webchat/messages', stream, json);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('payload_too_large');
  });

  it('refuses webhook bodies over 1 MB with 413 JSON before any signature work; under it, the signature decides', async () => {
    const big = JSON.stringify({ event_name: 'user_send_text', padding: 'z'.repeat(1.5 * MB) });
    for (const p of ['/webhooks/zalo', '/webhooks/messenger']) {
      const res = await post(p, big, json);
      expect([p, res.status]).toEqual([p, 413]);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
    const under = JSON.stringify({ event_name: 'user_send_text', padding: 'z'.repeat(900 * KB) });
    expect((await post('/webhooks/zalo', under, json)).status).toBe(401);
    expect((await post('/webhooks/messenger', under, json)).status).toBe(401);
  });

  it('answers an oversized console form (a licence import file) with an HTML page for a browser, JSON otherwise', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const data = `action=check&fileName=so-giay-phep.xlsx&data=${'QUJD'.repeat(1.6 * MB)}`; // > 5 MB of base64
    const page = await post('/admin/licences/import', data, { ...form, accept: 'text/html,application/xhtml+xml' });
    expect(page.status).toBe(413);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain(i18n.t('limits.bodyTooLarge', { limit: '5 MB' }));
    expect(html).toContain('<html lang="vi">');
    const api = await post('/admin/licences/import', data, { ...form, accept: 'application/json' });
    expect(api.status).toBe(413);
    expect(await api.json()).toMatchObject({ error: 'payload_too_large' });
  });

  it('refuses a form with too many fields (413, not a 500)', async () => {
    const fields = Array.from({ length: 1500 }, (_, i) => `f${i}=1`).join('&');
    const res = await post('/admin/login', fields, { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'too_many_fields', message: i18n.t('limits.tooManyFields') });
  });

  it('keeps serving after all that', async () => {
    expect((await fetch(`${app().baseUrl}/healthz`)).status).toBe(200);
  });
});
