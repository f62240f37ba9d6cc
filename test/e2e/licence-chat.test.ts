/**
 * Licence linking end to end on Zalo: the person shares their phone through Zalo's information form,
 * links their licence by number in a message, and asks whether it is still valid — signed webhooks
 * in, answers out at the fake Zalo platform, with the real NLU.
 */
import { signZaloWebhook, zaloSubmitInfoEvent, zaloTextEvent, type FakeZalo } from '../fakes/zalo';
import { addDays, formatDate, vietnamNow } from '../../src/nlu/datetime/local-date';
import { describeEachDatabase } from '../support/db';
import { startZaloApp, ZALO_KEYS } from '../support/zalo-app';
import { eventually, type RunningApp } from '../support/app';
import { addLicence } from '../licences/linking/support';

const keys = ZALO_KEYS;

describeEachDatabase('licence chat end to end (Zalo)', (getDb) => {
  let fake: FakeZalo;
  let app: RunningApp;
  beforeEach(async () => {
    ({ fake, app } = await startZaloApp(getDb().database));
  });
  afterEach(async () => {
    await app.close();
    await fake.close();
  });

  const post = async (body: object) => {
    const signed = signZaloWebhook(body, keys);
    const res = await fetch(`${app.baseUrl}/webhooks/zalo`, { method: 'POST', headers: signed.headers, body: signed.rawBody });
    expect(res.status).toBe(200);
  };
  const textsTo = (userId: string) => fake.received.filter((r) => r.body?.recipient?.user_id === userId).map((r) => String(r.body.message.text));
  /** Posts and waits for the reply (the n-th message to this person). */
  const exchange = async (userId: string, body: object): Promise<string> => {
    const before = textsTo(userId).length;
    await post(body);
    return eventually(() => textsTo(userId)[before]);
  };

  it('links by the phone shared through Zalo, then answers the expiry date to the holder only', async () => {
    const expires = addDays(vietnamNow(new Date()).date, 45);
    const iso = formatDate(expires);
    const shown = `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
    await addLicence(getDb().database.db, { number: '123/2024/GCN-BVTV', phone: '0912345678', holderName: 'Cửa hàng Minh Phát', expiresOn: iso });

    // A stranger asking first learns nothing.
    const stranger = await exchange('7302', zaloTextEvent({ appId: keys.appId, userId: '7302', text: 'giấy phép số 123/2024/GCN-BVTV còn hạn không' }));
    expect(stranger).toContain('chỉ trả lời về hạn giấy phép cho chủ giấy phép đã liên kết');
    expect(stranger).not.toContain(shown);

    await exchange('7301', zaloSubmitInfoEvent({ appId: keys.appId, userId: '7301', name: 'Nguyễn Văn Phát', phone: '84912345678' }));
    const linked = await exchange('7301', zaloTextEvent({ appId: keys.appId, userId: '7301', text: 'đăng ký nhắc hạn giấy phép số 123/2024/GCN-BVTV' }));
    expect(linked).toContain('em đã liên kết giấy phép số 123/2024/GCN-BVTV của cơ sở Cửa hàng Minh Phát');

    const answer = await exchange('7301', zaloTextEvent({ appId: keys.appId, userId: '7301', text: 'giấy phép của tôi còn hạn không' }));
    expect(answer).toContain(`Giấy phép số 123/2024/GCN-BVTV của cơ sở Cửa hàng Minh Phát hết hạn ngày ${shown}, còn 45 ngày.`);
    expect(answer).toContain('Để gia hạn');
    const [link] = await getDb().database.query<{ channel: string; channel_user_id: string; verified_by: string }>(
      'select channel, channel_user_id, verified_by from licence_links',
    );
    expect(link).toEqual({ channel: 'zalo', channel_user_id: '7301', verified_by: 'zalo_phone_share' });
  });
});
