/**
 * The licence flow in the chat, on the real database: linking by phone share and by code, no
 * answers about a licence to anyone not verified, expiry for the linked holder, and reminders off/on.
 */
import { eq } from 'drizzle-orm';
import { tables } from '../../../src/db';
import { importKnowledgeBase, ProcedureRepository } from '../../../src/procedures';
import { describeEachDatabase } from '../../support/db';
import { testOffice, testProcedure } from '../../support/fixtures';
import { addContact, addLicence, codeOf, outboxRows } from '../../licences/linking/support';
import { chatAs, i18n, licenceNlu } from './support';

const NUMBER = '123/2024/GCN-BVTV';
const zalo = (userId: string) => ({ channel: 'zalo' as const, userId });
const web = (userId: string) => ({ channel: 'webchat' as const, userId });
const eqUser = (userId: string) => eq(tables.conversations.channelUserId, userId);

describeEachDatabase('licence flow in the chat', (getDb) => {
  let now = new Date('2026-11-23T03:00:00Z'); // Monday 10:00 in Vietnam
  const db = () => getDb().database.db;
  const say = chatAs(db, licenceNlu, () => now);
  const text = async (who: { channel: 'zalo' | 'webchat'; userId: string }, t: string) => (await say(who, { text: t }))[0]?.text ?? '';
  const links = async () => db().select().from(tables.licenceLinks);

  beforeEach(async () => {
    now = new Date('2026-11-23T03:00:00Z');
    const kb = {
      offices: [testOffice],
      procedures: [
        testProcedure('buon-ban-thuoc-bvtv', { name: 'Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật' }),
        testProcedure('ket-hon', { name: 'Đăng ký kết hôn' }),
      ],
    };
    await importKnowledgeBase(new ProcedureRepository(db()), JSON.stringify(kb), 'json');
    await addLicence(db(), { number: NUMBER, phone: '0912345678', holderName: 'Cửa hàng Minh Phát', expiresOn: '2027-01-07' });
  });

  it('links a Zalo identity whose phone Zalo confirmed, then tells it the expiry and how to renew', async () => {
    await addContact(db(), { channel: 'zalo', userId: 'z1', phone: '0912345678', lastInboundAt: now });
    expect(await text(zalo('z1'), `đăng ký nhắc hạn giấy phép số ${NUMBER}`)).toBe(i18n.t('licence-chat.linked', { number: NUMBER, holder: 'Cửa hàng Minh Phát' }));
    expect(await links()).toMatchObject([{ channel: 'zalo', channelUserId: 'z1', verifiedBy: 'zalo_phone_share' }]);

    const [answer] = await say(zalo('z1'), { text: 'giấy phép của tôi còn hạn không' });
    expect(answer?.text).toContain(`Giấy phép số ${NUMBER} của cơ sở Cửa hàng Minh Phát hết hạn ngày 07/01/2027, còn 45 ngày.`);
    expect(answer?.text).toContain('Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật');
    expect(answer?.quickReplies?.map((q) => q.payload)).toEqual(['PROC:buon-ban-thuoc-bvtv:documents', 'PROC:buon-ban-thuoc-bvtv:steps', 'PROC:buon-ban-thuoc-bvtv:where']);

    now = new Date('2027-01-10T03:00:00Z');
    expect(await text(zalo('z1'), `giấy phép số ${NUMBER} hết hạn khi nào`)).toContain('hết hạn ngày 07/01/2027, đã hết hạn 3 ngày.');
  });

  it('asks step by step, sends the code to the chat known to hold the phone, and links when it is typed here', async () => {
    await addContact(db(), { channel: 'zalo', userId: 'z-holder', phone: '0912345678', lastInboundAt: now });
    expect(await text(web('w1'), 'đăng ký nhắc hạn')).toBe(i18n.t('licence-chat.askNumber'));
    expect(await text(web('w1'), 'tôi chưa tìm thấy')).toBe(i18n.t('licence-chat.stillWaiting.number'));
    expect(await text(web('w1'), NUMBER)).toBe(i18n.t('licence-chat.askPhone'));
    expect(await text(web('w1'), '0912 345 678')).toBe(i18n.t('licence-chat.codeSent', { minutes: 10 }));

    const [sent] = await outboxRows(db());
    expect(sent).toMatchObject({ channel: 'zalo', recipient: { userId: 'z-holder' } });
    const code = codeOf(sent!);
    expect(JSON.stringify(await db().select().from(tables.licenceLinkCodes))).not.toContain(code);
    expect(JSON.stringify(await db().select().from(tables.conversations))).not.toContain(code);

    now = new Date(now.getTime() + 2 * 60_000);
    expect(await text(web('w1'), `mã là ${code}`)).toBe(i18n.t('licence-chat.linked', { number: NUMBER, holder: 'Cửa hàng Minh Phát' }));
    expect(await links()).toMatchObject([{ channel: 'webchat', channelUserId: 'w1', verifiedBy: 'code' }]);
    expect(await text(web('w1'), 'giấy phép còn hạn không')).toContain('còn 45 ngày');
  });

  it('locks the code after five wrong tries and refuses an expired one', async () => {
    await addContact(db(), { channel: 'zalo', userId: 'z-holder', phone: '0912345678', lastInboundAt: now });
    await say(web('w1'), { text: `đăng ký nhắc hạn giấy phép số ${NUMBER}, sđt 0912345678` });
    const code = codeOf((await outboxRows(db()))[0]!);
    const wrong = code === '000000' ? '000001' : '000000';
    for (const left of [4, 3, 2, 1]) expect(await text(web('w1'), wrong)).toBe(i18n.t('licence-chat.wrongCode', { left }));
    expect(await text(web('w1'), wrong)).toBe(i18n.t('licence-chat.codeLocked'));
    expect(await text(web('w1'), code)).toBe(i18n.t('fallback.notUnderstood')); // the flow has let go

    await say(web('w2'), { text: `đăng ký nhắc hạn giấy phép số ${NUMBER}, sđt 0912345678` });
    const second = codeOf((await outboxRows(db()))[1]!);
    now = new Date(now.getTime() + 11 * 60_000);
    const [expired] = await say(web('w2'), { text: second });
    expect(expired?.text).toBe(i18n.t('licence-chat.codeExpired'));
    expect(expired?.quickReplies?.map((q) => q.payload)).toContain('LIC:newcode');
    expect(await links()).toEqual([]);
    // "Send a new code" asks again with the same number and phone.
    expect((await say(web('w2'), { payload: 'LIC:newcode' }))[0]?.text).toBe(i18n.t('licence-chat.codeSent', { minutes: 10 }));
    expect(await outboxRows(db())).toHaveLength(3);
  });

  it('gives a stranger identical replies for an unknown number and a wrong phone, and answers no expiry', async () => {
    await addContact(db(), { channel: 'zalo', userId: 'z-someone', phone: '0987654321', lastInboundAt: now });
    const unknown = await say(web('s1'), { text: 'đăng ký nhắc hạn giấy phép số 999/2024/GCN-BVTV, sđt 0987654321' });
    const wrongPhone = await say(web('s2'), { text: `đăng ký nhắc hạn giấy phép số ${NUMBER}, sđt 0987654321` });
    expect(wrongPhone).toEqual(unknown);
    expect(unknown[0]?.text).toBe(i18n.t('licence-chat.codeSent', { minutes: 10 }));
    // Typing codes goes the same way as for a real one.
    expect(await text(web('s1'), '123456')).toBe(i18n.t('licence-chat.wrongCode', { left: 4 }));
    expect(await outboxRows(db())).toEqual([]);

    // No chat known for the phone: "cannot verify" alike, with an official offered.
    const a = await say(web('s3'), { text: 'đăng ký nhắc hạn giấy phép số 999/2024/GCN-BVTV, sđt 0911111111' });
    const b = await say(web('s4'), { text: `đăng ký nhắc hạn giấy phép số ${NUMBER}, sđt 0911111111` });
    expect(b).toEqual(a);
    expect(a[0]?.text).toBe(i18n.t('licence-chat.cannotVerify'));
    expect(a[0]?.quickReplies?.map((q) => q.payload)).toContain('HANDOFF');

    // Expiry: the same "link first" whether the number exists or not, nothing about the licence.
    const real = await say(web('s5'), { text: `giấy phép số ${NUMBER} còn hạn không` });
    const fake = await say(web('s6'), { text: 'giấy phép số 999/2024/GCN-BVTV còn hạn không' });
    expect(real[0]?.text).toBe(i18n.t('licence-chat.linkFirst'));
    expect(fake[0]?.text).toBe(real[0]?.text);
    expect(real[0]?.text).not.toContain('2027');
    expect(real[0]?.quickReplies?.[0]?.payload).toBe(`LIC:subscribe:${NUMBER}`);
    expect(await links()).toEqual([]);
  });

  it('"hủy" abandons the linking; another confident question leaves it and is answered', async () => {
    await say(web('w1'), { text: 'đăng ký nhắc hạn' });
    expect(await text(web('w1'), 'hủy ạ')).toBe(i18n.t('licence-chat.cancelled'));
    expect(await text(web('w1'), '0912345678')).toBe(i18n.t('fallback.notUnderstood')); // no longer read as an answer

    await say(web('w2'), { text: `đăng ký nhắc hạn giấy phép số ${NUMBER}` });
    expect(await text(web('w2'), 'lệ phí kết hôn bao nhiêu')).toContain('đăng ký kết hôn');
    const [row] = await db().select().from(tables.conversations).where(eqUser('w2'));
    expect(row?.context).toMatchObject({ licence: { pending: { step: 'phone', number: NUMBER } } });
  });

  it('continues when the person shares the phone through Zalo after being asked for it', async () => {
    expect(await text(zalo('z1'), `đăng ký nhắc hạn giấy phép số ${NUMBER}`)).toBe(i18n.t('licence-chat.askPhone'));
    // The channel layer stores the shared phone before the conversation hears of the event.
    await addContact(db(), { channel: 'zalo', userId: 'z1', phone: '0912345678', lastInboundAt: now });
    const [reply] = await say(zalo('z1'), { contactShared: true });
    expect(reply?.text).toBe(i18n.t('licence-chat.linked', { number: NUMBER, holder: 'Cửa hàng Minh Phát' }));
    // With nothing pending, a share is just acknowledged.
    expect((await say(zalo('z1'), { contactShared: true }))[0]?.text).toBe(i18n.t('channel.contactThanks'));
  });

  it('turns reminders off for this chat and back on when the person subscribes again', async () => {
    await addContact(db(), { channel: 'zalo', userId: 'z1', phone: '0912345678', lastInboundAt: now });
    expect(await text(zalo('z1'), 'tắt nhắc hạn')).toBe(i18n.t('licence-chat.nothingToStop'));
    await say(zalo('z1'), { text: `đăng ký nhắc hạn giấy phép số ${NUMBER}` });
    expect(await text(zalo('z1'), 'tắt nhắc hạn giấy phép số 999/XY')).toBe(i18n.t('licence-chat.notLinkedHere', { number: '999/XY' }));
    const [off] = await say(zalo('z1'), { text: 'tắt nhắc hạn' });
    expect(off?.text).toBe(i18n.t('licence-chat.stopped', { numbers: NUMBER }));
    expect((await links())[0]?.unsubscribedAt).toEqual(now);
    expect(await text(zalo('z1'), 'còn hạn không')).toContain(i18n.t('licence-chat.remindersOff'));

    expect(await text(zalo('z1'), 'đăng ký nhắc hạn')).toBe(i18n.t('licence-chat.remindersOn', { numbers: NUMBER }));
    expect((await links())[0]?.unsubscribedAt).toBeNull();
    await say(zalo('z1'), { text: 'tắt nhắc hạn' });
    expect((await say(zalo('z1'), { payload: off!.quickReplies![0]!.payload }))[0]?.text).toBe(i18n.t('licence-chat.remindersOn', { numbers: NUMBER }));
    expect((await links())[0]?.unsubscribedAt).toBeNull();
  });
});
