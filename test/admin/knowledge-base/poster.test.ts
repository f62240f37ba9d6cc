import request from 'supertest';
import QRCode from 'qrcode';
import { ProcedureRepository } from '../../../src/procedures';
import { describeEachDatabase } from '../../support/db';
import { testOffice, testProcedure } from '../../support/fixtures';
import { kbApp } from './test-kit';

const officer = { 'x-test-role': 'officer' };
const ketHon = testProcedure('ket-hon', { name: 'Đăng ký kết hôn' });

/** The QR code the library draws for `url`: the poster must carry exactly this one (it encodes `url`). */
const qrFor = (url: string) => QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
/** The path data of an SVG, which is what encodes the content. */
const paths = (svg: string) => [...svg.matchAll(/ d="([^"]+)"/g)].map((m) => m[1]);

describeEachDatabase('admin knowledge base: QR posters', (getDb) => {
  const db = () => getDb().database.db;
  beforeEach(async () => {
    await new ProcedureRepository(db()).upsert({ offices: [testOffice], procedures: [ketHon] });
  });

  it('has a QR code for each configured channel with its URL printed under it', async () => {
    const { app } = kbApp(db(), { messengerPageId: 'motcua.page', zaloOaId: '4318000000000000000' });
    const res = await request(app).get('/admin/procedures/ket-hon/poster').set(officer).expect(200);
    expect(res.text).toContain('<h1>Đăng ký kết hôn</h1>');
    expect(res.text).toContain('href="/admin/assets/knowledge-base/poster.css"');
    const expected = {
      webchat: 'https://motcua.example.gov.vn/chat?ref=PROC:ket-hon',
      messenger: 'https://m.me/motcua.page?ref=PROC:ket-hon',
      zalo: 'https://zalo.me/4318000000000000000',
    };
    const figures = [...res.text.matchAll(/<figure class="qr" data-channel="(\w+)">([\s\S]*?)<\/figure>/g)];
    expect(figures.map((f) => f[1])).toEqual(['webchat', 'messenger', 'zalo']);
    for (const [, channel, body] of figures) {
      const url = expected[channel as keyof typeof expected];
      expect(body).toContain(`<p class="qr-url">${url}</p>`);
      expect(paths(body!)).toEqual(paths(await qrFor(url)));
      expect(body).toMatch(/<svg role="img" aria-label="[^"]+" xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
    // Zalo OA links carry no payload: the poster says what to type instead.
    expect(figures[2]?.[2]).toContain('Gõ: thủ tục đăng ký kết hôn');
    expect(figures[0]?.[2]).not.toContain('Gõ:');
  });

  it('offers only the web chat when Messenger and Zalo are not configured', async () => {
    const res = await request(kbApp(db()).app).get('/admin/procedures/ket-hon/poster').set(officer).expect(200);
    expect([...res.text.matchAll(/data-channel="(\w+)"/g)].map((m) => m[1])).toEqual(['webchat']);
    expect(res.text).not.toContain('m.me');
    expect(res.text).not.toContain('zalo.me');
    await request(kbApp(db()).app).get('/admin/procedures/khong-co/poster').set(officer).expect(404);
  });

  it('escapes the procedure name and serves its print script and stylesheet', async () => {
    await new ProcedureRepository(db()).upsert({ offices: [], procedures: [testProcedure('xss', { name: '<script>alert(1)</script>' })] });
    const { app } = kbApp(db(), { zaloOaId: '1' });
    const res = await request(app).get('/admin/procedures/xss/poster').set(officer).expect(200);
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    await request(app).get('/admin/assets/knowledge-base/poster.js').expect(200);
    const css = await request(app).get('/admin/assets/knowledge-base/poster.css').expect(200);
    expect(css.text).toContain('@page');
  });
});
