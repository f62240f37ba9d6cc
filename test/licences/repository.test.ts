/** The register's search: by number, holder (diacritics optional) or phone, type, expiry, pages. */
import { LicenceRepository, type LicenceInput } from '../../src/licences';
import { describeEachDatabase } from '../support/db';

const licence = (number: string, over: Partial<LicenceInput> = {}): LicenceInput => ({
  number,
  procedureSlug: 'attp',
  holderName: `Cơ sở ${number}`,
  phone: null,
  issuedOn: null,
  expiresOn: '2027-01-01',
  source: 'import',
  ...over,
});

describeEachDatabase('licence repository', (getDb) => {
  const repo = () => new LicenceRepository(getDb().database.db);
  const numbers = async (filter: Parameters<LicenceRepository['search']>[0]) => (await repo().search(filter)).rows.map((l) => l.number);
  const today = '2026-06-01';

  beforeEach(async () => {
    await repo().upsertMany([
      licence('1/GP', { holderName: 'Quán Phở Hòa Đức', phone: '0912345678', expiresOn: '2026-06-20' }),
      licence('2/GP', { holderName: 'Đại lý thuốc BVTV', procedureSlug: 'buon-ban-thuoc-bvtv', expiresOn: '2026-07-25' }),
      licence('3/GP', { expiresOn: '2026-08-25' }),
      licence('4/GP', { expiresOn: '2026-05-31' }),
      licence('50%_/GP', { expiresOn: '2030-01-01' }),
    ]);
  });

  it('finds by number, folded holder name or phone in any form', async () => {
    expect(await numbers({ query: '2/gp', today })).toEqual(['2/GP']);
    expect(await numbers({ query: 'pho hoa duc', today })).toEqual(['1/GP']);
    expect(await numbers({ query: 'ĐẠI LÝ', today })).toEqual(['2/GP']);
    expect(await numbers({ query: '+84 912 345', today })).toEqual(['1/GP']);
    expect(await numbers({ query: '50%', today })).toEqual(['50%_/GP']);
    expect(await numbers({ query: '5_', today })).toEqual([]);
  });

  it('filters by type, expiring within N days and expired, soonest first', async () => {
    expect(await numbers({ procedure: 'buon-ban-thuoc-bvtv', today })).toEqual(['2/GP']);
    expect(await numbers({ expiringWithinDays: 30, today })).toEqual(['1/GP']);
    expect(await numbers({ expiringWithinDays: 60, today })).toEqual(['1/GP', '2/GP']);
    expect(await numbers({ expiringWithinDays: 90, today })).toEqual(['1/GP', '2/GP', '3/GP']);
    expect(await numbers({ expired: true, today })).toEqual(['4/GP']);
    expect(await numbers({ today })).toEqual(['4/GP', '1/GP', '2/GP', '3/GP', '50%_/GP']);
  });

  it('pages and counts', async () => {
    const page2 = await repo().search({ page: 2, pageSize: 2, today });
    expect(page2).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page2.rows.map((l) => l.number)).toEqual(['2/GP', '3/GP']);
    const all: string[] = [];
    for await (const l of repo().iterate({ today })) all.push(l.number);
    expect(all).toHaveLength(5);
  });

  it('upserts by number and keeps address and ward an import leaves out', async () => {
    await repo().upsertMany([licence('1/GP', { holderName: 'Quán Phở Hòa Đức', address: '12 Lê Lợi', ward: 'Phường 1' })]);
    const counts = await repo().upsertMany([licence('1/gp', { holderName: 'Đổi tên' }), licence('9/GP')]);
    expect(counts).toEqual({ inserted: 1, updated: 1 });
    expect(await repo().findByNumber(' 1/gp ')).toMatchObject({ holderName: 'Đổi tên', address: '12 Lê Lợi', ward: 'Phường 1' });
    expect(await repo().get('not-a-uuid')).toBeUndefined();
  });
});
