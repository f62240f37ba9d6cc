import { isMigrated } from '../../src/db';
import { describeEachDatabase } from '../support/db';

describeEachDatabase('migrations', (getDb) => {
  it('leaves the database migrated, with the knowledge-base and conversation tables', async () => {
    const { database } = getDb();
    expect(await isMigrated(database)).toBe(true);
    const rows = await database.query<{ tablename: string }>(
      "select tablename from pg_tables where schemaname = 'public' order by tablename",
    );
    expect(rows.map((r) => r.tablename)).toEqual(
      expect.arrayContaining(['conversations', 'feedback', 'messages', 'offices', 'procedures']),
    );
  });

  it('refuses a rating outside 1..5 (the constraint lives in the database)', async () => {
    const { database } = getDb();
    const [c] = await database.query<{ id: string }>(
      "insert into conversations (channel, channel_user_id) values ('webchat', 's1') returning id",
    );
    await expect(
      database.query('insert into feedback (conversation_id, rating) values ($1, 6)', [c!.id]),
    ).rejects.toThrow(/feedback_rating_range/);
  });
});
