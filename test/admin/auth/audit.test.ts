/**
 * The audit log: `kit.audit` writes rows (redacting secret-looking fields, inside the caller's
 * transaction), and `/admin/audit` lists them newest first, filtered and paginated, escaped.
 */
import request from 'supertest';
import { describeEachDatabase } from '../../support/db';
import { tables } from '../../../src/db';
import { createAdminTestApp, createOfficial, signIn } from './support';

describeEachDatabase('admin audit log', (getDb) => {
  const db = () => getDb().database.db;

  it('kit.audit stores before/after as JSON, replaces secret fields, and rolls back with the transaction', async () => {
    const { kit } = createAdminTestApp(db());
    const o = await createOfficial(db(), { role: 'officer' });
    await kit.audit(db(), {
      officialId: o.id,
      action: 'procedure.update',
      entity: 'procedure',
      entityId: 'khai-sinh',
      before: { fee: 0, at: new Date('2026-01-02T03:04:05Z') },
      after: { fee: 5000, passwordHash: '$argon2id$v=19$secret', nested: { accessToken: 'tok' } },
    });
    await expect(
      db().transaction(async (tx) => {
        await kit.audit(tx, { officialId: o.id, action: 'procedure.retire', entity: 'procedure', entityId: 'ket-hon' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await db().select().from(tables.auditLog);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      officialId: o.id,
      action: 'procedure.update',
      entity: 'procedure',
      entityId: 'khai-sinh',
      before: { fee: 0, at: '2026-01-02T03:04:05.000Z' },
      after: { fee: 5000, passwordHash: '[redacted]', nested: { accessToken: '[redacted]' } },
    });
  });

  it('lists entries newest first with readable JSON, filters by entity, paginates, escapes', async () => {
    const { app, kit } = createAdminTestApp(db());
    const admin = await createOfficial(db(), { role: 'admin', name: 'Quản trị Hà' });
    const base = Date.parse('2026-03-01T01:00:00Z');
    for (let i = 0; i < 55; i++) {
      await db()
        .insert(tables.auditLog)
        .values({ officialId: admin.id, action: 'procedure.update', entity: 'procedure', entityId: `p-${i}`, after: { n: i }, at: new Date(base + i * 60_000) });
    }
    await kit.audit(db(), {
      officialId: null,
      action: 'conversation.claim',
      entity: 'conversation',
      entityId: 'c-1',
      before: { note: '<script>alert(1)</script>' },
    });
    const { agent } = await signIn(request.agent(app), admin.email, admin.password);

    const first = await agent.get('/admin/audit');
    expect(first.status).toBe(200);
    const ids = [...first.text.matchAll(/<span class="muted small">([\w-]+)<\/span>/g)].map((m) => m[1]);
    expect(ids.slice(0, 3)).toEqual(['c-1', 'p-54', 'p-53']);
    expect(ids).toHaveLength(50);
    expect(first.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(first.text).not.toContain('<script>alert(1)');
    expect(first.text).toContain('Hệ thống');
    expect(first.text).toContain('Quản trị Hà');
    expect(first.text).toContain('&quot;n&quot;: 54');
    expect(first.text).toContain('Trang 1/2');
    expect(first.text).toContain('href="/admin/audit?page=2"');

    const second = await agent.get('/admin/audit?page=2');
    const ids2 = [...second.text.matchAll(/<span class="muted small">([\w-]+)<\/span>/g)].map((m) => m[1]);
    expect(ids2).toEqual(['p-5', 'p-4', 'p-3', 'p-2', 'p-1', 'p-0']);

    const filtered = await agent.get('/admin/audit?entity=conversation');
    const ids3 = [...filtered.text.matchAll(/<span class="muted small">([\w-]+)<\/span>/g)].map((m) => m[1]);
    expect(ids3).toEqual(['c-1']);
    expect(filtered.text).toContain('<option value="conversation" selected>');
    // An entity that is not in the log is ignored rather than interpolated anywhere.
    const unknown = await agent.get('/admin/audit?entity=%3Cb%3Ex&page=-3');
    expect(unknown.status).toBe(200);
    expect(unknown.text).toContain('Trang 1/2');
  });
});
