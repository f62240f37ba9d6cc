/** The worker's cron job runs the CLI's tick with the real clock, hourly from 08:00 to 21:00 Vietnam time. */
import cron from 'node-cron';
import { licenceRemindersJob } from '../../../src/licences/reminders';
import { shiftIsoDate, vietnamToday } from '../../../src/licences';
import { OutboxWorker } from '../../../src/outbox';
import { recordingChannel } from '../../support/test-channel';
import { describeEachDatabase } from '../../support/db';
import { addLicence, DEFAULT_LADDER, i18n, linkIdentity, silent } from './support';

describeEachDatabase('licence reminders job', (getDb) => {
  const db = () => getDb().database.db;

  it('is a valid cron schedule of the working day, and plans and delivers with the real clock', async () => {
    const zalo = recordingChannel('zalo');
    const job = licenceRemindersJob({
      db: db(),
      i18n,
      logger: silent,
      channels: { zalo },
      outbox: new OutboxWorker({ db: db(), channels: { zalo }, logger: silent, ratePerMinute: {}, maxAttempts: 3 }),
      ladderDays: DEFAULT_LADDER,
    });
    expect(job.schedule).toBe('0 8-21 * * *');
    expect(cron.validate(job.schedule)).toBe(true);

    const licence = await addLicence(db(), { expiresOn: shiftIsoDate(vietnamToday(new Date()), 30) });
    await linkIdentity(db(), licence.id, { channel: 'zalo', userId: 'z-job', lastInboundAt: new Date() });
    await job.run(new Date());
    expect(zalo.sent.map((s) => s.message.dedupeKey)).toEqual([`licence:${licence.id}:expiry:${shiftIsoDate(vietnamToday(new Date()), 30)}:30`]);
    await job.run(new Date()); // the next hour's catch-up run: nothing twice
    expect(zalo.sent).toHaveLength(1);
  });
});
