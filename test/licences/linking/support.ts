/** Rows the linking tests need: licences in the register and chat identities with what we know of them. */
import { tables, type Db } from '../../../src/db';

export interface TestLicence {
  number: string;
  phone: string | null;
  holderName?: string;
  procedureSlug?: string;
  expiresOn?: string;
}

/** Adds a licence to the register; returns its id. */
export async function addLicence(db: Db, l: TestLicence): Promise<string> {
  const [row] = await db
    .insert(tables.licences)
    .values({
      number: l.number,
      phone: l.phone,
      holderName: l.holderName ?? 'Cửa hàng Vật tư Nông nghiệp Minh Phát',
      procedureSlug: l.procedureSlug ?? 'buon-ban-thuoc-bvtv',
      expiresOn: l.expiresOn ?? '2027-03-31',
      source: 'import',
    })
    .returning({ id: tables.licences.id });
  return row!.id;
}

/** A chat identity as the channel layer records it (phone: shared through the platform). */
export async function addContact(
  db: Db,
  c: { channel: 'zalo' | 'messenger' | 'webchat'; userId: string; phone?: string; lastInboundAt?: Date; following?: boolean },
): Promise<void> {
  await db.insert(tables.channelContacts).values({
    channel: c.channel,
    channelUserId: c.userId,
    phone: c.phone ?? null,
    lastInboundAt: c.lastInboundAt ?? null,
    following: c.following ?? null,
  });
}

/** The outbox rows (what would be sent), oldest first. */
export async function outboxRows(db: Db) {
  return db.select().from(tables.outbox).orderBy(tables.outbox.id);
}

/** The six-digit code in the text of an outbox row. */
export function codeOf(row: { content: unknown }): string {
  const text = (row.content as { reply: { text: string } }).reply.text;
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error(`no code in "${text}"`);
  return code;
}
