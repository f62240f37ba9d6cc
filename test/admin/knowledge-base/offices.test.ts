import request from 'supertest';
import { tables } from '../../../src/db';
import { ProcedureRepository, type Office } from '../../../src/procedures';
import { describeEachDatabase } from '../../support/db';
import { testOffice, testProcedure } from '../../support/fixtures';
import { encode, officeFields } from './forms';
import { kbApp } from './test-kit';

const officer = { 'x-test-role': 'officer' };

describeEachDatabase('admin knowledge base: offices', (getDb) => {
  const db = () => getDb().database.db;
  const repo = () => new ProcedureRepository(db());
  const audits = () => db().select().from(tables.auditLog).orderBy(tables.auditLog.id);

  it('lists offices with how many procedures each receives', async () => {
    await repo().upsert({ offices: [testOffice], procedures: [testProcedure('thu-a'), testProcedure('thu-b')] });
    const res = await request(kbApp(db()).app).get('/admin/offices').set(officer).expect(200);
    expect(res.text).toContain(`href="/admin/offices/${testOffice.slug}"`);
    expect(res.text).toMatch(/<td>2<\/td><\/tr>/);
  });

  it('creates an office with regular and special hours, ignoring blank rows, audited', async () => {
    const { app, changes } = kbApp(db());
    const office: Office = { ...testOffice, slug: 'ubnd-xa-a', email: 'motcua@xa-a.gov.vn', note: 'Có chỗ để xe' };
    const res = await request(app).post('/admin/offices/new').set(officer).type('form').send(encode(officeFields(office)));
    expect(res.status).toBe(303);
    expect(await repo().getOffice('ubnd-xa-a')).toEqual(office);
    const [entry] = await audits();
    expect(entry).toMatchObject({ action: 'office.create', entity: 'office', entityId: 'ubnd-xa-a', before: null, after: office });
    expect(changes.count).toBe(1);
  });

  it('edits an office and records the before and after', async () => {
    await repo().upsert({ offices: [testOffice], procedures: [] });
    const { app } = kbApp(db());
    const form = await request(app).get(`/admin/offices/${testOffice.slug}`).set(officer).expect(200);
    expect(form.text).toContain('value="07:30"');
    expect(form.text).toMatch(/name="hours_0_days" value="5" checked/);
    // The bot's own wording of the office is shown under the form.
    expect(form.text).toContain('Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00');
    const fields = officeFields(testOffice, { phone: '0200 111 222', hours_1_days: ['1', '2', '3', '4', '5', '6'] });
    await request(app).post(`/admin/offices/${testOffice.slug}`).set(officer).type('form').send(encode(fields)).expect(303);
    const saved = (await repo().getOffice(testOffice.slug))!;
    expect(saved.phone).toBe('0200 111 222');
    expect(saved.hours[1]?.days).toEqual([1, 2, 3, 4, 5, 6]);
    const [entry] = await audits();
    expect(entry?.action).toBe('office.update');
    expect((entry?.before as Office).phone).toBe('0200 000 000');
    expect((entry?.after as Office).phone).toBe('0200 111 222');
  });

  it('rejects bad hours with Vietnamese messages on the right row, keeping the values (400)', async () => {
    await repo().upsert({ offices: [testOffice], procedures: [] });
    const { app, changes } = kbApp(db());
    const fields = officeFields(testOffice, { address: '', hours_0_days: [], hours_1_open: '17:00', hours_1_close: '13:30', special_0_open: '7h' });
    const res = await request(app).post(`/admin/offices/${testOffice.slug}`).set(officer).type('form').send(encode(fields));
    expect(res.status).toBe(400);
    const errorAt = (name: string) => new RegExp(`id="err-${name}">([^<]*)<`).exec(res.text)?.[1];
    expect(errorAt('address')).toBe('Vui lòng nhập thông tin này.');
    expect(errorAt('hours_0_days')).toBe('Cần có ít nhất một mục.');
    expect(errorAt('hours_1_close')).toBe('Giờ đóng cửa phải sau giờ mở cửa.');
    expect(errorAt('special_0_open')).toMatch(/^Giờ chưa hợp lệ/);
    expect(res.text).toContain('value="7h"');
    expect(await repo().getOffice(testOffice.slug)).toEqual(testOffice);
    expect(await audits()).toEqual([]);
    expect(changes.count).toBe(0);
  });

  it('refuses a new office whose slug exists', async () => {
    await repo().upsert({ offices: [testOffice], procedures: [] });
    const res = await request(kbApp(db()).app).post('/admin/offices/new').set(officer).type('form')
      .send(encode(officeFields({ ...testOffice, name: 'Trùng mã' })));
    expect(res.status).toBe(400);
    expect(res.text).toContain('Mã này đã được dùng');
    expect((await repo().getOffice(testOffice.slug))?.name).toBe(testOffice.name);
  });
});
