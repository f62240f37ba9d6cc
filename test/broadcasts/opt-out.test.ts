/**
 * Opting out through the conversation: tapping "Ngừng nhận thông báo" (`BCAST:optout`) records the
 * opt-out via the broadcast flow, confirms it, and leaves the person out of every later segment and of
 * the rest of a broadcast already being delivered.
 */
import { ConversationStore, createConversation, type Understanding } from '../../src/conversation';
import { broadcastProgress, countSegment, createBroadcast, deliverBroadcasts, OPT_IN_PAYLOAD, OPT_OUT_PAYLOAD } from '../../src/broadcasts';
import { ProcedureRepository } from '../../src/procedures';
import { describeEachDatabase } from '../support/db';
import { addContact, i18n, T0, testDelivery } from './support';

/** The payload path never asks the NLU; anything typed is "not understood". */
const nlu: Understanding = { parse: async (text) => ({ text, intent: 'none', score: 0.1, procedure: null, entities: [] }) };

describeEachDatabase('broadcast opt-out in the conversation', (getDb) => {
  const db = () => getDb().database.db;
  const conversation = () =>
    createConversation({ db: db(), appBaseUrl: 'http://localhost:3000', store: new ConversationStore(db()), procedures: new ProcedureRepository(db()), nlu, i18n, contextIdleMinutes: 30 });
  let seq = 0;
  const tap = (userId: string, payload: string) => {
    seq += 1;
    return conversation().handle({ channel: 'zalo', channelUserId: userId, payload, platformMessageId: `msg-${seq}`, receivedAt: new Date(T0.getTime() + seq * 1000) });
  };
  const optOuts = () => getDb().database.query<{ channel: string; channel_user_id: string }>('select channel, channel_user_id from broadcast_opt_outs');

  it('records the opt-out, confirms it once, and offers the way back', async () => {
    const [first] = await tap('z-1', OPT_OUT_PAYLOAD);
    expect(first?.text).toBe(i18n.t('broadcasts.optOut.confirmed'));
    expect(first?.quickReplies).toEqual([{ title: i18n.t('broadcasts.optIn.quickReply'), payload: OPT_IN_PAYLOAD }]);
    expect(await optOuts()).toEqual([{ channel: 'zalo', channel_user_id: 'z-1' }]);
    expect((await tap('z-1', OPT_OUT_PAYLOAD))[0]?.text).toBe(i18n.t('broadcasts.optOut.already'));
    expect(await optOuts()).toHaveLength(1);

    expect((await tap('z-1', OPT_IN_PAYLOAD))[0]?.text).toBe(i18n.t('broadcasts.optIn.confirmed'));
    expect(await optOuts()).toHaveLength(0);
    expect((await tap('z-1', OPT_IN_PAYLOAD))[0]?.text).toBe(i18n.t('broadcasts.optIn.already'));
    // The tap is stored like any message, understood as the broadcast flow's payload.
    const [stored] = await getDb().database.query<{ payload: string; intent: string }>(
      "select payload, intent from messages where direction = 'in' order by id limit 1",
    );
    expect(stored).toEqual({ payload: OPT_OUT_PAYLOAD, intent: 'payload.bcast' });
  });

  it('answers an unknown BCAST payload as not understood, without recording anything', async () => {
    const replies = await tap('z-2', 'BCAST:whatever');
    expect(replies[0]?.text).not.toBe(i18n.t('broadcasts.optOut.confirmed'));
    expect(await optOuts()).toHaveLength(0);
  });

  it('leaves the person out of later segments and of the rest of a broadcast in progress', async () => {
    for (const id of ['z-1', 'z-2', 'z-3']) await addContact(db(), 'zalo', id);
    const created = await createBroadcast(db(), { title: 'Thông báo', text: 'Nội dung', segment: { kind: 'followers', channel: 'zalo' }, scheduledAt: T0, createdBy: null }, T0);
    if (!created.ok) throw new Error('not created');
    const delivery = testDelivery(db());
    await deliverBroadcasts(db(), T0, { i18n, batchSize: 1, maxInFlight: 1 });
    await delivery.worker.drain();
    expect(delivery.sentKeys()).toEqual([`broadcast:${created.broadcast.id}:zalo:z-1`]);

    await tap('z-3', OPT_OUT_PAYLOAD);
    expect((await countSegment(db(), { kind: 'followers', channel: 'zalo' }, T0)).total).toBe(2);
    for (let i = 0; i < 4; i += 1) {
      await deliverBroadcasts(db(), T0, { i18n, batchSize: 1, maxInFlight: 1 });
      await delivery.worker.drain();
    }
    expect(delivery.sentKeys().map((k) => k.split(':').pop())).toEqual(['z-1', 'z-2']);
    expect(await broadcastProgress(db(), created.broadcast.id, T0)).toMatchObject({ total: 3, optedOut: 1, counts: { sent: 2 } });
  });
});
