/**
 * Availability (officers): appraisers' working hours, daily capacity and linked account, and days
 * off including public holidays; validated with Vietnamese messages, audited, and read by the
 * appraisal service when it offers slots.
 */
import { createAppraisalService } from '../../../src/appraisal';
import { describeEachDatabase } from '../../support/db';
import { createOfficial } from '../auth/support';
import { appraisalHarness, i18n, NOW, post } from './support';

const PAGE = '/admin/appraisal/availability';

describeEachDatabase('appraisal availability', (getDb) => {
  const h = appraisalHarness(getDb);
  const q = <T>(text: string, params: unknown[] = []) => getDb().database.query<T>(text, params);
  const hours = (overrides: Record<string, string> = {}) => ({
    hours_1: '07:30-11:30, 13:30-17:00',
    hours_2: '07:30-11:30, 13:30-17:00',
    hours_3: '07:30-11:30',
    hours_4: '',
    hours_5: '07:30-11:30, 13:30-17:00',
    hours_6: '',
    hours_7: '',
    ...overrides,
  });

  it('is for officers and admins only', async () => {
    for (const who of ['officer', 'admin'] as const) expect((await (await h.as(who)).agent.get(PAGE)).status).toBe(200);
    const appraiser = await h.as('appraiser');
    expect((await appraiser.agent.get(PAGE)).status).toBe(403);
    expect((await appraiser.agent.get('/admin/appraisal/appraisers/new')).status).toBe(403);
    expect((await post(appraiser, '/admin/appraisal/days-off', { day: '2026-12-01', appraiserId: '', reason: 'Nghỉ' })).status).toBe(403);
    expect(await q('select id from appraisal_days_off')).toHaveLength(0);
  });

  it('adds an appraiser after refusing bad hours, capacity and procedures in Vietnamese, keeping what was typed', async () => {
    const officer = await h.as('officer');
    const bad = await post(officer, '/admin/appraisal/appraisers/new', {
      name: 'Đặng Văn Mới',
      phone: '12345',
      officialId: h.people().viewer.id,
      dailyCapacity: '0',
      ...hours({ hours_1: '7h30 đến 11h', hours_2: '13:30-11:00', hours_3: '07:30-11:30, 11:00-12:00' }),
    });
    expect(bad.status).toBe(400);
    const weekdays = i18n.list('admin-appraisal.weekdays');
    for (const text of [
      i18n.t('admin-appraisal.errors.hours.format', { day: weekdays[0]! }),
      i18n.t('admin-appraisal.errors.hours.order', { day: weekdays[1]! }),
      i18n.t('admin-appraisal.errors.hours.overlap', { day: weekdays[2]! }),
      i18n.t('admin-appraisal.errors.capacityInvalid'),
      i18n.t('admin-appraisal.errors.proceduresRequired'),
      i18n.t('admin-appraisal.errors.phoneInvalid'),
      i18n.t('admin-appraisal.errors.officialUnknown'),
    ]) {
      expect(bad.text).toContain(text);
    }
    expect(bad.text).toContain('value="7h30 đến 11h"');
    expect(bad.text).toContain('value="Đặng Văn Mới"');
    expect(await q("select id from appraisers where name = 'Đặng Văn Mới'")).toHaveLength(0);

    // An account already linked to another appraiser cannot be linked twice.
    const taken = await post(officer, '/admin/appraisal/appraisers/new', { name: 'Đặng Văn Mới', officialId: h.people().appraiser.id, procedures: 'buon-ban-thuoc-bvtv', dailyCapacity: '4', ...hours() });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain(i18n.t('admin-appraisal.errors.officialTaken'));
    const account = (await createOfficial(h.db(), { role: 'appraiser', name: 'Đặng Văn Mới' })).id;
    const good = await post(officer, '/admin/appraisal/appraisers/new', {
      name: 'Đặng Văn Mới',
      phone: '+84 912 000 111',
      officialId: account,
      procedures: 'buon-ban-thuoc-bvtv',
      dailyCapacity: '4',
      active: 'on',
      ...hours(),
    });
    expect(good.status).toBe(303);
    expect(good.headers.location).toBe(`${PAGE}?done=appraiserSaved`);
    const [row] = await q<{ id: string; phone: string; official_id: string; procedures: unknown; working_hours: unknown; daily_capacity: number; active: boolean }>(
      "select id, phone, official_id, procedures, working_hours, daily_capacity, active from appraisers where name = 'Đặng Văn Mới'",
    );
    expect(row).toMatchObject({ phone: '0912000111', official_id: account, procedures: ['buon-ban-thuoc-bvtv'], daily_capacity: 4, active: true });
    expect(row!.working_hours).toEqual([
      { days: [1, 2, 3, 5], start: '07:30', end: '11:30' },
      { days: [1, 2, 5], start: '13:30', end: '17:00' },
    ]);
    const audit = await q<{ official_id: string; entity_id: string }>("select official_id, entity_id from audit_log where action = 'appraiser.create'");
    expect(audit).toEqual([{ official_id: h.people().officer.id, entity_id: row!.id }]);

    const list = await officer.agent.get(`${PAGE}?done=appraiserSaved`);
    expect(list.text).toContain(i18n.t('admin-appraisal.done.appraiserSaved'));
    expect(list.text).toContain('<li>T2: 07:30-11:30, 13:30-17:00</li>');
    expect(list.text).toContain('<li>T3: 07:30-11:30, 13:30-17:00</li>');
    expect(list.text).toContain('<li>T4: 07:30-11:30</li>');
  });

  it('edits an appraiser\'s hours and capacity; the service offers slots from them', async () => {
    const officer = await h.as('officer');
    const edit = await officer.agent.get(`/admin/appraisal/appraisers/${h.appraiserId()}`);
    expect(edit.status).toBe(200);
    expect(edit.text).toContain('id="hours_1" name="hours_1" value="07:30-11:30, 13:30-17:00"');
    expect(edit.text).toContain('id="hours_6" name="hours_6" value=""');
    const res = await post(officer, `/admin/appraisal/appraisers/${h.appraiserId()}`, {
      name: 'Hồ Thẩm Định',
      phone: '',
      officialId: h.people().appraiser.id,
      procedures: 'buon-ban-thuoc-bvtv',
      dailyCapacity: '2',
      active: 'on',
      ...hours({ hours_6: '08:00-10:00' }),
    });
    expect(res.status).toBe(303);
    const service = createAppraisalService(h.db(), { i18n, linkSecret: 'x' });
    const saturday = await service.freeSlots({ procedure: 'buon-ban-thuoc-bvtv', from: '2026-11-28', days: 1, now: NOW });
    expect(saturday.map((s) => s.appraiserId)).toEqual(saturday.map(() => h.appraiserId()));
    expect(saturday[0]?.start.toISOString()).toBe('2026-11-28T01:00:00.000Z');
    expect((await q<{ daily_capacity: number }>('select daily_capacity from appraisers where id = $1', [h.appraiserId()]))[0]!.daily_capacity).toBe(2);
    expect(await q("select id from audit_log where action = 'appraiser.update'")).toHaveLength(1);
    expect((await officer.agent.get('/admin/appraisal/appraisers/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('adds and removes days off and public holidays, refusing past, duplicate and unexplained ones; warns of booked sessions', async () => {
    const officer = await h.as('officer');
    const past = await post(officer, '/admin/appraisal/days-off', { day: '2026-11-20', appraiserId: '', reason: 'Nghỉ bù' });
    expect(past.status).toBe(400);
    expect(past.text).toContain(i18n.t('admin-appraisal.errors.dayPast'));
    const noReason = await post(officer, '/admin/appraisal/days-off', { day: '2026-12-02', appraiserId: '', reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain(i18n.t('admin-appraisal.errors.dayOffReasonRequired'));
    const badDay = await post(officer, '/admin/appraisal/days-off', { day: '2026-02-30', appraiserId: '', reason: 'Nghỉ' });
    expect(badDay.text).toContain(i18n.t('admin-appraisal.errors.dayInvalid'));
    expect(await q('select id from appraisal_days_off')).toHaveLength(0);

    // A holiday for everyone, on a day with a booked session.
    await h.insertSession({ startsAt: new Date('2026-12-02T02:00:00Z') });
    const holiday = await post(officer, '/admin/appraisal/days-off', { day: '2026-12-02', appraiserId: '', reason: 'Nghỉ lễ (thử nghiệm)' });
    expect(holiday.status).toBe(303);
    expect(holiday.headers.location).toBe(`${PAGE}?done=dayOffAdded&clashes=1#days-off`);
    const warned = await officer.agent.get(`${PAGE}?done=dayOffAdded&clashes=1`);
    expect(warned.text).toContain(i18n.t('admin-appraisal.warnings.dayOffClashes', { n: 1 }));
    expect(warned.text).toContain(i18n.t('admin-appraisal.availability.everyone'));
    expect(warned.text).toContain('Nghỉ lễ (thử nghiệm)');
    const dupe = await post(officer, '/admin/appraisal/days-off', { day: '2026-12-02', appraiserId: '', reason: 'Lần hai' });
    expect(dupe.status).toBe(409);
    expect(dupe.text).toContain(i18n.t('admin-appraisal.errors.dayOffExists'));

    const leave = await post(officer, '/admin/appraisal/days-off', { day: '2026-12-03', appraiserId: h.colleagueId(), reason: 'Nghỉ phép' });
    expect(leave.headers.location).toBe(`${PAGE}?done=dayOffAdded#days-off`);
    const rows = await q<{ id: string; day: string; appraiser_id: string | null }>("select id, to_char(day, 'YYYY-MM-DD') as day, appraiser_id from appraisal_days_off order by day");
    expect(rows.map((r) => [r.day, r.appraiser_id])).toEqual([
      ['2026-12-02', null],
      ['2026-12-03', h.colleagueId()],
    ]);
    const service = createAppraisalService(h.db(), { i18n, linkSecret: 'x' });
    expect(await service.freeSlots({ procedure: 'buon-ban-thuoc-bvtv', from: '2026-12-02', days: 1, now: NOW })).toEqual([]);
    const thursday = await service.freeSlots({ procedure: 'buon-ban-thuoc-bvtv', from: '2026-12-03', days: 1, now: NOW });
    expect(new Set(thursday.map((s) => s.appraiserId))).toEqual(new Set([h.appraiserId()]));

    const removed = await post(officer, `/admin/appraisal/days-off/${rows[0]!.id}/delete`);
    expect(removed.status).toBe(303);
    expect(await q('select id from appraisal_days_off')).toHaveLength(1);
    expect((await post(officer, `/admin/appraisal/days-off/${rows[0]!.id}/delete`)).status).toBe(404);
    const audits = await q<{ action: string }>("select action from audit_log where entity = 'appraisal_day_off' order by id");
    expect(audits.map((a) => a.action)).toEqual(['appraisal_day_off.create', 'appraisal_day_off.create', 'appraisal_day_off.delete']);
  });
});
