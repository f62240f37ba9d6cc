import { sql } from 'drizzle-orm';
import { ProcedureRepository } from '../../src/procedures';
import { describeEachDatabase } from '../support/db';
import { testOffice, testProcedure } from '../support/fixtures';

describeEachDatabase('ProcedureRepository.get', (getDb) => {
  it('reads a procedure with its row locked inside a transaction', async () => {
    const { db } = getDb().database;
    await new ProcedureRepository(db).upsert({ offices: [testOffice], procedures: [testProcedure('thu-a')] });
    const plain = await new ProcedureRepository(db).get('thu-a');
    const locked = await db.transaction(async (tx) => {
      const p = await new ProcedureRepository(tx).get('thu-a', { forUpdate: true });
      // The lock is real: PostgreSQL reports it among this transaction's row locks.
      // (A plain SELECT takes no transaction id; SELECT … FOR UPDATE must, to mark the row.)
      const result = await tx.execute(
        sql`select count(*)::int as n from pg_locks where locktype = 'transactionid' and pid = pg_backend_pid()`,
      );
      const [row] = (result as unknown as { rows: { n: number }[] }).rows;
      return { p, xid: row?.n ?? 0 };
    });
    expect(locked.p).toEqual(plain);
    expect(locked.xid).toBeGreaterThan(0);
    expect(await new ProcedureRepository(db).get('missing', { forUpdate: true })).toBeUndefined();
  });
});
