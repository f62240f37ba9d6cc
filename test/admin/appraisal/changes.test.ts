/**
 * An official moves or cancels a session from the console: through the appraisal service (its free
 * slots, its history, its notice to the business in the outbox), audited, CSRF-protected, and with
 * clear refusals when the reason is missing or the time was taken.
 */
import { createAppraisalService } from '../../../src/appraisal';
import { tables } from '../../../src/db';
import { describeEachDatabase } from '../../support/db';
import { appraisalHarness, i18n, NOW, post } from './support';

describeEachDatabase('appraisal changes by an official', (getDb) => {
  const h = appraisalHarness(getDb);
  const q = <T>(text: string, params: unknown[] = []) => getDb().database.query<T>(text, params);
  const path = (id: string) => `/admin/appraisal/sessions/${id}`;

  /** Books from a chat through the service, as the chat flow does, on Tuesday's first free slot of "my" appraiser. */
  async function bookFromChat(channel: 'zalo' | 'messenger', channelUserId: string) {
    const service = createAppraisalService(h.db(), { i18n, linkSecret: 'test-link-secret' });
    const slots = await service.freeSlots({ procedure: 'buon-ban-thuoc-bvtv', from: '2026-11-24', days: 1, now: NOW });
    const slot = slots.find((s) => s.appraiserId === h.appraiserId())!;
    const result = await service.book(
      { procedure: 'buon-ban-thuoc-bvtv', start: slot.start, appraiserId: slot.appraiserId, businessName: 'Đại lý Thuốc BVTV Minh Tâm', address: 'Xóm 3, xã Yên Phú', phone: '0987654321', channel, channelUserId, source: 'chat' },
      NOW,
    );
    if (!result.ok) throw new Error(`booking failed: ${result.reason}`);
    return result.booking;
  }

  it('moves a session to a free slot chosen on the reschedule page; the chat gets a notice', async () => {
    const booking = await bookFromChat('messenger', 'psid-77');
    const officer = await h.as('officer');
    const page = await officer.agent.get(`${path(booking.id)}/reschedule`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Thứ Ba, 24/11/2026');
    const choices = [...page.text.matchAll(/name="slot" id="[^"]+" value="([^"]+)"/g)].map((m) => m[1]!.replace(/&#39;|&quot;/g, ''));
    expect(choices.length).toBeGreaterThan(2);
    // Thursday's slot of the same appraiser, shown in Vietnam time.
    const thursday = choices.find((c) => c.startsWith('2026-11-26T01:30:00.000Z|'));
    expect(thursday).toBeDefined();
    expect(page.text).toContain('<time datetime="2026-11-26T01:30:00.000Z">08:30–09:15</time>');

    const res = await post(officer, `${path(booking.id)}/reschedule`, { slot: thursday! });
    expect(res.status).toBe(303);
    const newId = /\/admin\/appraisal\/sessions\/([0-9a-f-]{36})\?done=rescheduled$/.exec(res.headers.location ?? '')?.[1];
    expect(newId).toBeDefined();
    expect(newId).not.toBe(booking.id);
    expect(await h.booking(booking.id)).toMatchObject({ status: 'rescheduled', replacedBy: newId });
    expect(await h.booking(newId!)).toMatchObject({ status: 'booked', rescheduledFrom: booking.id, startsAt: new Date('2026-11-26T01:30:00Z') });

    const outbox = await q<{ dedupe_key: string; channel: string; recipient: unknown; purpose: string }>('select dedupe_key, channel, recipient, purpose from outbox');
    expect(outbox).toEqual([{ dedupe_key: `appraisal:${booking.id}:rescheduled`, channel: 'messenger', recipient: { userId: 'psid-77' }, purpose: 'appointment_update' }]);
    expect(h.outbound.calls).toBe(1);
    const audit = await q<{ official_id: string; entity_id: string; after: { bookingId: string } }>("select official_id, entity_id, after from audit_log where action = 'appraisal.reschedule'");
    expect(audit).toEqual([{ official_id: h.people().officer.id, entity_id: booking.id, after: expect.objectContaining({ bookingId: newId }) }]);

    const moved = await officer.agent.get(`${path(newId!)}?done=rescheduled`);
    expect(moved.text).toContain(i18n.t('admin-appraisal.done.rescheduled'));
    expect(moved.text).toContain('Thứ Năm, 26/11/2026 · 08:30–09:15');
    expect(moved.text).toContain(`href="${path(booking.id)}"`);
  });

  it('refuses a reschedule without a chosen slot, or to a time that is not free, and offers others', async () => {
    const booking = await bookFromChat('messenger', 'psid-78');
    const officer = await h.as('officer');
    const none = await post(officer, `${path(booking.id)}/reschedule`, {});
    expect(none.status).toBe(400);
    expect(none.text).toContain(i18n.t('admin-appraisal.errors.slotRequired'));
    // Saturday is outside the working hours.
    const saturday = await post(officer, `${path(booking.id)}/reschedule`, { slot: `2026-11-28T02:00:00.000Z|${h.appraiserId()}` });
    expect(saturday.status).toBe(409);
    expect(saturday.text).toContain(i18n.t('admin-appraisal.errors.slotUnavailable'));
    expect(saturday.text).toContain('name="slot"');
    expect((await h.booking(booking.id)).status).toBe('booked');
    expect(await q('select id from outbox')).toHaveLength(0);
    expect(h.outbound.calls).toBe(0);
  });

  it('cancels with a reason through the service; the business on Zalo is told; audited', async () => {
    const booking = await bookFromChat('zalo', 'zalo-99');
    await h.db().insert(tables.channelContacts).values({ channel: 'zalo', channelUserId: 'zalo-99', lastInboundAt: new Date(NOW.getTime() - 3_600_000) });
    const appraiser = await h.as('appraiser');
    const empty = await post(appraiser, `${path(booking.id)}/cancel`, { reason: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain(i18n.t('admin-appraisal.errors.cancelReasonRequired'));
    expect((await h.booking(booking.id)).status).toBe('booked');

    const noToken = await appraiser.agent.post(`${path(booking.id)}/cancel`).type('form').send('reason=Cán bộ bận họp');
    expect(noToken.status).toBe(403);
    expect((await h.booking(booking.id)).status).toBe('booked');

    const res = await post(appraiser, `${path(booking.id)}/cancel`, { reason: 'Cán bộ thẩm định đi công tác đột xuất' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${path(booking.id)}?done=cancelled`);
    expect(await h.booking(booking.id)).toMatchObject({ status: 'cancelled', cancelReason: 'Cán bộ thẩm định đi công tác đột xuất' });
    const outbox = await q<{ dedupe_key: string; channel: string; recipient: unknown; content: { reply: { text: string } }; status: string }>(
      'select dedupe_key, channel, recipient, content, status from outbox',
    );
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ dedupe_key: `appraisal:${booking.id}:cancelled`, channel: 'zalo', recipient: { userId: 'zalo-99' }, status: 'pending' });
    expect(outbox[0]!.content.reply.text).toContain('Cán bộ thẩm định đi công tác đột xuất');
    expect(await q("select id from audit_log where action = 'appraisal.cancel'")).toHaveLength(1);

    const page = await appraiser.agent.get(`${path(booking.id)}?done=cancelled`);
    expect(page.text).toContain(i18n.t('admin-appraisal.done.cancelled'));
    expect(page.text).toContain(i18n.t('admin-appraisal.session.cancelledBecause', { reason: 'Cán bộ thẩm định đi công tác đột xuất' }));
    // Cancelling again is refused clearly and notifies nobody twice.
    const again = await post(appraiser, `${path(booking.id)}/cancel`, { reason: 'Lần nữa' });
    expect(again.status).toBe(409);
    expect(await q('select id from outbox')).toHaveLength(1);
  });
});
