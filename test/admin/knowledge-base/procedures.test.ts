import request from 'supertest';
import { eq } from 'drizzle-orm';
import { tables } from '../../../src/db';
import { ProcedureRepository, type Procedure } from '../../../src/procedures';
import { renderAspect, renderOverview } from '../../../src/conversation/render/procedure';
import { describeEachDatabase } from '../../support/db';
import { testOffice, testProcedure } from '../../support/fixtures';
import { encode, procedureFields } from './forms';
import { i18n, kbApp, OFFICIAL_ID, postForms, text } from './test-kit';

const ketHon = testProcedure('ket-hon', {
  name: 'Đăng ký kết hôn',
  aliases: ['cưới', 'giấy đăng ký kết hôn'],
  fee: { amountVnd: 0, exemptions: [] },
  documents: [
    { name: 'Tờ khai đăng ký kết hôn', form: 'form', quantity: 1 },
    { name: 'Giấy xác nhận tình trạng hôn nhân', form: 'original', quantity: 1, note: 'nếu đăng ký ở nơi khác nơi thường trú' },
  ],
});
const khaiSinh = testProcedure('khai-sinh', { name: 'Đăng ký khai sinh', field: 'Hộ tịch', isSample: true });
const hoKinhDoanh = testProcedure('ho-kinh-doanh', { name: 'Đăng ký hộ kinh doanh', field: 'Đăng ký kinh doanh', aliases: ['đkkd'] });
const old = testProcedure('cu', { name: 'Thủ tục đã bỏ', status: 'retired' });

describeEachDatabase('admin knowledge base: procedures', (getDb) => {
  const db = () => getDb().database.db;
  const repo = () => new ProcedureRepository(db());
  const seed = (procedures: Procedure[] = [ketHon, khaiSinh, hoKinhDoanh, old]) => repo().upsert({ offices: [testOffice], procedures });
  const audits = () => db().select().from(tables.auditLog).orderBy(tables.auditLog.id);
  const as = (role: string) => ({ 'x-test-role': role });

  describe('list', () => {
    it('searches name, alias and slug without diacritics, and filters by field and status', async () => {
      await seed();
      const { app } = kbApp(db());
      const names = async (query: string) => {
        const res = await request(app).get(`/admin/procedures?${query}`).set(as('officer')).expect(200);
        return [ketHon, khaiSinh, hoKinhDoanh, old].filter((p) => res.text.includes(`href="/admin/procedures/${p.slug}"`)).map((p) => p.slug);
      };
      expect(await names('q=ket+hon')).toEqual(['ket-hon']);
      expect(await names('q=CUOI')).toEqual(['ket-hon']);
      expect(await names('q=dkkd')).toEqual(['ho-kinh-doanh']);
      expect(await names('q=khai-sinh')).toEqual(['khai-sinh']);
      expect(await names('q=dang+ky').then((s) => s.sort())).toEqual(['ho-kinh-doanh', 'ket-hon', 'khai-sinh']);
      expect(await names('field=%C4%90%C4%83ng+k%C3%BD+kinh+doanh')).toEqual(['ho-kinh-doanh']);
      expect(await names('status=retired')).toEqual(['cu']);
      expect((await names('status=active')).sort()).toEqual(['ho-kinh-doanh', 'ket-hon', 'khai-sinh']);
    });

    it('marks sample content and shows the update time in Vietnam time', async () => {
      await seed([khaiSinh]);
      await db().update(tables.procedures).set({ updatedAt: new Date('2026-03-01T17:30:00Z') }).where(eq(tables.procedures.slug, 'khai-sinh'));
      const res = await request(kbApp(db()).app).get('/admin/procedures').set(as('officer')).expect(200);
      expect(res.text).toContain('Dữ liệu mẫu');
      expect(res.text).toContain('02/03/2026 00:30');
    });
  });

  describe('create', () => {
    it('rejects invalid input with Vietnamese messages next to the fields, keeping the values (400)', async () => {
      await seed([]);
      const { app, changes } = kbApp(db());
      const fields = procedureFields(ketHon, {
        slug: 'Kết Hôn',
        name: '',
        agency: 'UBND xã <Thử>',
        fee_amount: 'năm chục',
        steps: '\n  \n',
        online_url: 'javascript:alert(1)',
        doc_0_name: '',
        doc_1_quantity: 'hai',
      });
      const res = await request(app).post('/admin/procedures/new').set(as('officer')).type('form').send(encode(fields));
      expect(res.status).toBe(400);
      const errorAt = (name: string) => new RegExp(`id="err-${name}">([^<]*)<`).exec(res.text)?.[1];
      expect(errorAt('name')).toBe('Vui lòng nhập thông tin này.');
      expect(errorAt('slug')).toMatch(/^Mã chỉ gồm chữ thường không dấu/);
      expect(errorAt('fee_amount')).toMatch(/^Vui lòng nhập một số/);
      expect(errorAt('steps')).toBe('Cần có ít nhất một mục.');
      expect(errorAt('online_url')).toMatch(/^Đường dẫn chưa hợp lệ/);
      // The blank first row is ignored; the error lands on the second row, where "hai" was typed.
      expect(errorAt('doc_1_quantity')).toMatch(/^Vui lòng nhập một số/);
      expect(res.text).toContain('value="năm chục"');
      expect(res.text).toContain('value="UBND xã &lt;Thử&gt;"');
      expect(res.text).toContain('value="Kết Hôn"');
      expect(await repo().count()).toBe(0);
      expect(await audits()).toEqual([]);
      expect(changes.count).toBe(0);
    });

    it('creates a procedure, audits it and tells the bot', async () => {
      await seed([]);
      const { app, changes } = kbApp(db());
      const res = await request(app).post('/admin/procedures/new').set(as('officer')).type('form').send(encode(procedureFields(ketHon)));
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin/procedures/ket-hon?done=created');
      const { updatedAt: _u, ...stored } = (await repo().get('ket-hon'))!;
      expect(stored).toEqual(ketHon);
      const [entry] = await audits();
      expect(entry).toMatchObject({ action: 'procedure.create', entity: 'procedure', entityId: 'ket-hon', officialId: OFFICIAL_ID, before: null, after: ketHon });
      expect(changes.count).toBe(1);
      const page = await request(app).get(res.headers.location!).set(as('officer')).expect(200);
      expect(page.text).toContain('Đã tạo thủ tục');
    });

    it('refuses a slug already taken or reserved for a console page', async () => {
      await seed([ketHon]);
      const { app } = kbApp(db());
      const taken = await request(app).post('/admin/procedures/new').set(as('officer')).type('form')
        .send(encode(procedureFields({ ...ketHon, name: 'Bản khác' })));
      expect(taken.status).toBe(400);
      expect(taken.text).toContain('Mã này đã được dùng');
      expect((await repo().get('ket-hon'))?.name).toBe('Đăng ký kết hôn');
      const reserved = await request(app).post('/admin/procedures/new').set(as('officer')).type('form')
        .send(encode(procedureFields({ ...ketHon, slug: 'import' })));
      expect(reserved.status).toBe(400);
      expect(reserved.text).toContain('trùng với tên một trang của hệ thống');
      expect(await audits()).toEqual([]);
    });
  });

  describe('edit', () => {
    it('saves an edit with the before and after in the audit log', async () => {
      await seed([ketHon]);
      const { app, changes } = kbApp(db());
      const form = await request(app).get('/admin/procedures/ket-hon').set(as('officer')).expect(200);
      const updatedAt = /name="updated_at" value="([^"]+)"/.exec(form.text)?.[1];
      expect(updatedAt).toBe((await repo().get('ket-hon'))!.updatedAt.toISOString());
      const res = await request(app).post('/admin/procedures/ket-hon').set(as('officer')).type('form')
        .send(encode(procedureFields(ketHon, { fee_amount: '50.000', fee_text: 'Nộp khi nhận kết quả', updated_at: updatedAt!, slug: 'doi-ma' })));
      expect(res.status).toBe(303);
      const stored = (await repo().get('ket-hon'))!;
      expect(stored.fee).toEqual({ amountVnd: 50000, text: 'Nộp khi nhận kết quả', exemptions: [] });
      expect(await repo().get('doi-ma')).toBeUndefined();
      const [entry] = await audits();
      expect(entry?.action).toBe('procedure.update');
      expect((entry?.before as Procedure).fee.amountVnd).toBe(0);
      expect((entry?.after as Procedure).fee.amountVnd).toBe(50000);
      expect(changes.count).toBe(1);
    });

    it('refuses to overwrite a save made after the form was opened (409), keeping the typed values', async () => {
      await seed([ketHon]);
      const { app, changes } = kbApp(db());
      const stale = new Date(Date.now() - 60_000).toISOString();
      const res = await request(app).post('/admin/procedures/ket-hon').set(as('officer')).type('form')
        .send(encode(procedureFields(ketHon, { name: 'Tên mới', updated_at: stale })));
      expect(res.status).toBe(409);
      expect(res.text).toContain('vừa được người khác lưu');
      expect(res.text).toContain('value="Tên mới"');
      expect((await repo().get('ket-hon'))?.name).toBe('Đăng ký kết hôn');
      expect(await audits()).toEqual([]);
      expect(changes.count).toBe(0);
    });

    it('retires and restores, audited, and a content edit keeps the status', async () => {
      await seed([ketHon]);
      const { app, changes } = kbApp(db());
      const retire = await request(app).post('/admin/procedures/ket-hon/retire').set(as('officer')).type('form').send('_csrf=x');
      expect(retire.status).toBe(303);
      expect((await repo().listActive()).map((p) => p.slug)).toEqual([]);
      await request(app).post('/admin/procedures/ket-hon').set(as('officer')).type('form').send(encode(procedureFields(ketHon, { name: 'Đăng ký kết hôn (sửa)' }))).expect(303);
      expect((await repo().get('ket-hon'))?.status).toBe('retired');
      await request(app).post('/admin/procedures/ket-hon/restore').set(as('officer')).type('form').send('_csrf=x').expect(303);
      expect((await repo().get('ket-hon'))?.status).toBe('active');
      const entries = await audits();
      expect(entries.map((e) => e.action)).toEqual(['procedure.retire', 'procedure.update', 'procedure.restore']);
      expect([(entries[0]?.before as Procedure).status, (entries[0]?.after as Procedure).status]).toEqual(['active', 'retired']);
      expect([(entries[2]?.before as Procedure).status, (entries[2]?.after as Procedure).status]).toEqual(['retired', 'active']);
      expect(changes.count).toBe(3);
      await request(app).post('/admin/procedures/khong-co/retire').set(as('officer')).type('form').send('_csrf=x').expect(404);
    });
  });

  describe('preview', () => {
    const expectBotWording = (page: string, reply: { text: string }) => {
      for (const line of reply.text.split('\n')) expect(text(page)).toContain(text(line).trim());
    };

    it('shows the saved answers for every aspect as chat bubbles, in the bot\'s own words', async () => {
      await seed([ketHon]);
      const res = await request(kbApp(db()).app).get('/admin/procedures/ket-hon').set(as('officer')).expect(200);
      const stored = (await repo().get('ket-hon'))!;
      expect(res.text).toContain('class="chat-log"');
      expect(res.text.match(/class="bubble out"/g)).toHaveLength(7);
      expectBotWording(res.text, renderOverview(stored, i18n));
      for (const aspect of ['documents', 'fee', 'duration', 'where', 'online', 'steps'] as const) {
        expectBotWording(res.text, renderAspect(stored, aspect, testOffice, i18n));
      }
    });

    it('previews unsaved values without saving anything', async () => {
      await seed([ketHon]);
      const { app, changes } = kbApp(db());
      const res = await request(app).post('/admin/procedures/ket-hon/preview').set(as('officer')).type('form')
        .send(encode(procedureFields(ketHon, { fee_amount: '123000' })));
      expect(res.status).toBe(200);
      const draft = { ...ketHon, fee: { amountVnd: 123000, exemptions: [] }, updatedAt: new Date() };
      expectBotWording(res.text, renderAspect(draft, 'fee', testOffice, i18n));
      expect(res.text).toContain('123.000 đồng');
      expect(res.text).toContain('value="123000"');
      expect(res.text).toContain('chưa được lưu');
      expect((await repo().get('ket-hon'))?.fee.amountVnd).toBe(0);
      expect(await audits()).toEqual([]);
      expect(changes.count).toBe(0);
      const fresh = await request(app).post('/admin/procedures/new/preview').set(as('officer')).type('form')
        .send(encode(procedureFields(testProcedure('moi', { name: 'Thủ tục mới' }))));
      expect(fresh.status).toBe(200);
      expect(fresh.text).toContain('thủ tục mới');
      expect(await repo().get('moi')).toBeUndefined();
    });
  });

  describe('access and forms', () => {
    const routes = (slug: string): [string, string][] => [
      ['get', '/admin/procedures'],
      ['get', '/admin/procedures/new'],
      ['post', '/admin/procedures/new'],
      ['get', `/admin/procedures/${slug}`],
      ['post', `/admin/procedures/${slug}`],
      ['post', `/admin/procedures/${slug}/preview`],
      ['post', `/admin/procedures/${slug}/retire`],
      ['post', `/admin/procedures/${slug}/restore`],
      ['get', `/admin/procedures/${slug}/poster`],
      ['get', '/admin/procedures/export.json'],
      ['get', '/admin/procedures/export.csv'],
      ['get', '/admin/procedures/import'],
      ['post', '/admin/procedures/import'],
      ['get', '/admin/offices'],
      ['get', '/admin/offices/new'],
      ['post', '/admin/offices/new'],
      ['get', `/admin/offices/${testOffice.slug}`],
      ['post', `/admin/offices/${testOffice.slug}`],
    ];

    it('lets officers and admins in, and keeps viewers, appraisers and strangers out of every route', async () => {
      await seed([ketHon]);
      const { app } = kbApp(db());
      for (const [method, url] of routes('ket-hon')) {
        for (const role of ['viewer', 'appraiser']) {
          const res = await request(app)[method as 'get' | 'post'](url).set(as(role)).type('form').send('_csrf=x');
          expect([method, url, role, res.status]).toEqual([method, url, role, 403]);
        }
        const anonymous = await request(app)[method as 'get' | 'post'](url);
        expect([method, url, anonymous.status]).toEqual([method, url, 401]);
      }
      for (const [method, url] of routes('ket-hon').filter(([m]) => m === 'get')) {
        for (const role of ['officer', 'admin']) {
          const res = await request(app).get(url).set(as(role));
          expect([url, role, res.status]).toEqual([url, role, 200]);
        }
      }
      expect(await audits()).toEqual([]);
    });

    it('puts the CSRF field in every form that posts', async () => {
      await seed([ketHon]);
      const { app } = kbApp(db());
      const pages = ['/admin/procedures/new', '/admin/procedures/ket-hon', '/admin/offices/new', `/admin/offices/${testOffice.slug}`, '/admin/procedures/import'];
      let forms = 0;
      for (const url of pages) {
        const res = await request(app).get(url).set(as('officer')).expect(200);
        const found = postForms(res.text);
        expect(found.length).toBeGreaterThan(0);
        for (const form of found) expect(form).toContain('name="_csrf" value="test-csrf-token"');
        forms += found.length;
      }
      const invalid = await request(app).post('/admin/procedures/new').set(as('officer')).type('form').send('name=');
      for (const form of postForms(invalid.text)) expect(form).toContain('name="_csrf"');
      expect(forms).toBeGreaterThanOrEqual(6);
    });

    it('serves its page scripts locally', async () => {
      const { app } = kbApp(db());
      const res = await request(app).get('/admin/assets/knowledge-base/repeat-rows.js').expect(200);
      expect(res.text).toContain('data-add-row');
      await request(app).get('/admin/assets/knowledge-base/missing.js').expect(404);
    });
  });
});
