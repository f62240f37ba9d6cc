/**
 * `issueLicenceFromAppraisal` (src/licences/issue.ts) on the real database: readable numbers per
 * type and year that continue the register (imported numbers included), expiry from the validity,
 * the reminder link for Zalo/Messenger bookings, one licence per booking, and no collisions when
 * several appraisals pass at once.
 */
import { addCalendarDays, issueLicenceFromAppraisal, licenceNumberSuffix } from '../../../src/licences/issue';
import { tables } from '../../../src/db';
import { describeEachDatabase } from '../../support/db';
import { appraisalHarness } from './support';

describeEachDatabase('licence issued by an appraisal', (getDb) => {
  const h = appraisalHarness(getDb);
  const q = <T>(text: string, params: unknown[] = []) => getDb().database.query<T>(text, params);
  const issue = (bookingId: string, procedureSlug = 'buon-ban-thuoc-bvtv', issuedOn = '2026-11-23') =>
    issueLicenceFromAppraisal(h.db(), { bookingId, procedureSlug, holderName: 'Cơ sở A', phone: '0912345678', address: 'Xã B', issuedOn, validityDays: 1825 });

  it('numbers per type and year after the highest number already in the register', async () => {
    await h.db().insert(tables.licences).values([
      { number: '41/2026/GCN-BVTV', procedureSlug: 'buon-ban-thuoc-bvtv', holderName: 'Nhập từ sổ', expiresOn: '2030-01-01', source: 'import' },
      { number: '7/2025/GCN-BVTV', procedureSlug: 'buon-ban-thuoc-bvtv', holderName: 'Năm trước', expiresOn: '2030-01-01', source: 'import' },
      { number: 'ABC/2026/GCN-BVTV', procedureSlug: 'buon-ban-thuoc-bvtv', holderName: 'Số lạ', expiresOn: '2030-01-01', source: 'import' },
    ]);
    const a = await issue(await h.insertSession({ startsAt: new Date('2026-11-23T01:00:00Z') }));
    expect(a).toMatchObject({ number: '42/2026/GCN-BVTV', issuedOn: '2026-11-23', expiresOn: '2031-11-22', created: true });
    const food = await issue(await h.insertSession({ startsAt: new Date('2026-11-23T02:00:00Z') }), 'attp');
    expect(food.number).toBe('1/2026/GCN-ATTP');
    const nextYear = await issue(await h.insertSession({ startsAt: new Date('2026-11-23T03:00:00Z') }), 'buon-ban-thuoc-bvtv', '2027-01-04');
    expect(nextYear.number).toBe('1/2027/GCN-BVTV');
    expect(licenceNumberSuffix('ho-kinh-doanh')).toBe('GCN-HO-KINH-DOANH');
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('returns the same licence for the same booking and links only chats that can be reached later', async () => {
    const zalo = await h.insertSession({ startsAt: new Date('2026-11-23T01:00:00Z'), channel: 'zalo', channelUserId: 'z-1' });
    const first = await issue(zalo);
    const second = await issue(zalo);
    expect(second).toEqual({ ...first, created: false });
    expect(await q('select id from licences')).toHaveLength(1);
    expect(await q<{ channel: string; verified_by: string }>('select channel, verified_by from licence_links')).toEqual([{ channel: 'zalo', verified_by: 'appraisal' }]);
    await issue(await h.insertSession({ startsAt: new Date('2026-11-23T02:00:00Z'), source: 'api' }));
    await issue(await h.insertSession({ startsAt: new Date('2026-11-23T03:00:00Z'), channel: 'webchat', channelUserId: 'w-1' }));
    expect(await q('select licence_id from licence_links')).toHaveLength(1);
  });

  it('gives distinct consecutive numbers to appraisals passing at the same moment', async () => {
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push(await h.insertSession({ startsAt: new Date(Date.UTC(2026, 10, 23, i, 0)) }));
    const issued = await Promise.all(ids.map((id) => h.db().transaction((tx) => issueLicenceFromAppraisal(tx, { bookingId: id, procedureSlug: 'buon-ban-thuoc-bvtv', holderName: 'X', phone: null, address: null, issuedOn: '2026-11-23', validityDays: 30 }))));
    expect(issued.map((l) => l.number).sort()).toEqual(['1/2026/GCN-BVTV', '2/2026/GCN-BVTV', '3/2026/GCN-BVTV', '4/2026/GCN-BVTV', '5/2026/GCN-BVTV']);
    expect(issued[0]!.expiresOn).toBe('2026-12-23');
  });
});
