/** Who each segment reaches, counted on the real database: opt-outs, unfollowers and web chat never included. */
import { countSegment, segmentSchema, type Segment } from '../../src/broadcasts';
import { describeEachDatabase } from '../support/db';
import { addContact, addLicence, askedAbout, DAY, optOut, T0 } from './support';

describe('segment validation', () => {
  it('accepts each kind with its fields and reports a key for what is missing or wrong', () => {
    expect(segmentSchema.parse({ kind: 'asked_procedure', channel: 'zalo', procedure: 'ket-hon', days: '30', ward: 'ignored' })).toEqual({
      kind: 'asked_procedure',
      channel: 'zalo',
      procedure: 'ket-hon',
      days: 30,
    });
    expect(segmentSchema.parse({ kind: 'ward', channel: 'all', ward: '  Phường   Hòa  Bình ' })).toEqual({ kind: 'ward', channel: 'all', ward: 'Phường Hòa Bình' });
    const messages = (input: unknown) => segmentSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}:${i.message}`);
    expect(messages({ kind: 'licence_holders', channel: 'all', procedure: '' })).toEqual(['procedure:segmentProcedure']);
    expect(messages({ kind: 'asked_procedure', channel: 'sms', procedure: 'attp', days: '0' })).toEqual(['channel:segmentChannel', 'days:segmentDays']);
    expect(messages({ kind: 'ward', channel: 'all', ward: ' x ' })).toEqual(['ward:segmentWard']);
    expect(messages({ kind: 'everyone', channel: 'all' })).toEqual(['kind:segmentKind']);
  });
});

describeEachDatabase('broadcast segments', (getDb) => {
  const db = () => getDb().database.db;
  const count = (segment: Segment, now = T0) => countSegment(db(), segment, now);

  it('counts the followers of a channel: Zalo followers, Messenger people who wrote; never unfollowers, opt-outs or web chat', async () => {
    await addContact(db(), 'zalo', 'z-follower');
    await addContact(db(), 'zalo', 'z-follower-2');
    await addContact(db(), 'zalo', 'z-unfollowed', { following: false });
    await addContact(db(), 'zalo', 'z-never-followed', { following: null });
    await addContact(db(), 'zalo', 'z-opted-out');
    await optOut(db(), 'zalo', 'z-opted-out');
    await addContact(db(), 'messenger', 'm-wrote');
    await addContact(db(), 'messenger', 'm-blocked', { following: false });
    await addContact(db(), 'webchat', 'w-session');

    expect(await count({ kind: 'followers', channel: 'all' })).toEqual({ total: 3, byChannel: { zalo: 2, messenger: 1 } });
    expect((await count({ kind: 'followers', channel: 'zalo' })).total).toBe(2);
    expect((await count({ kind: 'followers', channel: 'messenger' })).total).toBe(1);
  });

  it('counts holders of a licence type through verified, subscribed links, once per identity', async () => {
    await addLicence(db(), 'attp', [{ channel: 'zalo', userId: 'z-a' }, { channel: 'messenger', userId: 'm-a' }]);
    await addLicence(db(), 'attp', [{ channel: 'zalo', userId: 'z-a' }]); // two licences, one person
    await addLicence(db(), 'attp', [{ channel: 'zalo', userId: 'z-unsubscribed', unsubscribed: true }]);
    await addLicence(db(), 'attp', [{ channel: 'zalo', userId: 'z-opted-out' }]);
    await optOut(db(), 'zalo', 'z-opted-out');
    await addLicence(db(), 'attp', [{ channel: 'zalo', userId: 'z-gone' }]);
    await addContact(db(), 'zalo', 'z-gone', { following: false });
    await addLicence(db(), 'attp', [{ channel: 'webchat', userId: 'w-a' }]);
    await addLicence(db(), 'buon-ban-thuoc-bvtv', [{ channel: 'zalo', userId: 'z-bvtv' }]);

    expect(await count({ kind: 'licence_holders', channel: 'all', procedure: 'attp' })).toEqual({ total: 2, byChannel: { zalo: 1, messenger: 1 } });
    expect((await count({ kind: 'licence_holders', channel: 'all', procedure: 'buon-ban-thuoc-bvtv' })).total).toBe(1);
    expect((await count({ kind: 'licence_holders', channel: 'all', procedure: 'ket-hon' })).total).toBe(0);
  });

  it('counts people who asked about a procedure within the last N days only', async () => {
    await askedAbout(db(), 'zalo', 'z-recent', 'ket-hon', new Date(T0.getTime() - 2 * DAY));
    await askedAbout(db(), 'zalo', 'z-recent', 'ket-hon', new Date(T0.getTime() - 1 * DAY)); // asked twice, counted once
    await askedAbout(db(), 'messenger', 'm-old', 'ket-hon', new Date(T0.getTime() - 40 * DAY));
    await askedAbout(db(), 'zalo', 'z-other', 'khai-sinh', new Date(T0.getTime() - DAY));
    await askedAbout(db(), 'webchat', 'w-recent', 'ket-hon', new Date(T0.getTime() - DAY));
    await askedAbout(db(), 'zalo', 'z-opted', 'ket-hon', new Date(T0.getTime() - DAY));
    await optOut(db(), 'zalo', 'z-opted');

    expect((await count({ kind: 'asked_procedure', channel: 'all', procedure: 'ket-hon', days: 30 })).total).toBe(1);
    expect((await count({ kind: 'asked_procedure', channel: 'all', procedure: 'ket-hon', days: 60 })).byChannel).toEqual({ zalo: 1, messenger: 1 });
    // The look-back follows the clock.
    expect((await count({ kind: 'asked_procedure', channel: 'all', procedure: 'ket-hon', days: 30 }, new Date(T0.getTime() + 40 * DAY))).total).toBe(0);
  });

  it("counts a ward from the register's ward and from shared addresses, matching the address literally", async () => {
    await addLicence(db(), 'attp', [{ channel: 'zalo', userId: 'z-register' }], { ward: 'Phường Hòa Bình' });
    await addLicence(db(), 'attp', [{ channel: 'zalo', userId: 'z-elsewhere' }], { ward: 'Xã An Phú' });
    await addContact(db(), 'messenger', 'm-address', { address: '12 Lê Lợi, phường hòa bình, TP Thử' });
    await addContact(db(), 'zalo', 'z-address-other', { address: '5 Trần Phú, Xã An Phú' });
    await addContact(db(), 'zalo', 'z-percent', { address: '100% Phường' });

    expect(await count({ kind: 'ward', channel: 'all', ward: 'Phường Hòa Bình' })).toEqual({ total: 2, byChannel: { zalo: 1, messenger: 1 } });
    expect((await count({ kind: 'ward', channel: 'all', ward: 'Xã An Phú' })).total).toBe(2);
    // '%' and '_' are characters to find, not wildcards.
    expect((await count({ kind: 'ward', channel: 'all', ward: '0% P' })).total).toBe(1);
    expect((await count({ kind: 'ward', channel: 'all', ward: '%%' })).total).toBe(0);
    expect((await count({ kind: 'ward', channel: 'all', ward: '__' })).total).toBe(0);
  });
});
