/**
 * Reads and writes the licence register. Numbers are stored normalised (`normaliseLicenceNumber`)
 * and looked up the same way, so callers may pass a number as typed.
 */
import { and, asc, count, eq, gte, ilike, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { tables } from '../db';
import { addDays, formatDate, vietnamNow } from '../nlu/datetime/local-date';
import type { Licence, LicenceInput, LicencePage, LicenceSearch } from './model';
import { normaliseLicenceNumber } from './number';

const { licences } = tables;

/** Rows per INSERT statement: big imports stay well under PostgreSQL's 65,535 bind parameters. */
const UPSERT_BATCH = 500;
export const DEFAULT_PAGE_SIZE = 25;

/** Today's date in Vietnam, `YYYY-MM-DD`. */
export function vietnamToday(now: Date = new Date()): string {
  return formatDate(vietnamNow(now).date);
}

/** `YYYY-MM-DD` moved by `days`. */
export function shiftIsoDate(iso: string, days: number): string {
  const [year = 0, month = 0, day = 0] = iso.split('-').map(Number);
  return formatDate(addDays({ year, month, day }, days));
}

/** Vietnamese letters with marks and their folded forms, for a diacritic-insensitive name search. */
const MARKED = 'àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ';
const FOLDED = MARKED.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd');
const MARKED_ALL = MARKED + MARKED.toUpperCase();
const FOLDED_ALL = FOLDED + FOLDED.toUpperCase();

/** Folds like `foldVietnamese` (enough for a search box): lower-case, no marks. */
const foldForSearch = (text: string): string =>
  text.normalize('NFC').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đð]/g, 'd').trim();

/** `%` and `_` typed in a search box are literal characters, not wildcards. */
const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export class LicenceRepository {
  /** `db` may be a transaction: a conversation turn or an appraisal decision writes inside its own. */
  constructor(private readonly db: Db) {}

  async get(id: string): Promise<Licence | undefined> {
    // The exact uuid shape: a looser test lets "------…" through to PostgreSQL, which rejects it (a 500).
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
    const [row] = await this.db.select().from(licences).where(eq(licences.id, id));
    return row;
  }

  /** The licence with this number, typed in any case and spacing. */
  async findByNumber(number: string): Promise<Licence | undefined> {
    const [row] = await this.db.select().from(licences).where(eq(licences.number, normaliseLicenceNumber(number)));
    return row;
  }

  /** Licences among `numbers` (normalised), keyed by number: lets an import tell inserts from updates. */
  async findByNumbers(numbers: readonly string[]): Promise<Map<string, Licence>> {
    const found = new Map<string, Licence>();
    for (let i = 0; i < numbers.length; i += UPSERT_BATCH) {
      const slice = numbers.slice(i, i + UPSERT_BATCH).map(normaliseLicenceNumber);
      if (slice.length === 0) continue;
      for (const row of await this.db.select().from(licences).where(inArray(licences.number, slice))) found.set(row.number, row);
    }
    return found;
  }

  /** Licences whose contact phone is `phone` (0… form). */
  async findByPhone(phone: string): Promise<Licence[]> {
    return this.db.select().from(licences).where(eq(licences.phone, phone)).orderBy(asc(licences.expiresOn));
  }

  /** A page of the register, soonest expiry first. */
  async search(filter: LicenceSearch = {}): Promise<LicencePage> {
    const pageSize = Math.min(Math.max(filter.pageSize ?? DEFAULT_PAGE_SIZE, 1), 500);
    const page = Math.max(filter.page ?? 1, 1);
    const where = and(...searchConditions(filter));
    const [totalRow] = await this.db.select({ n: count() }).from(licences).where(where);
    const rows = await this.db
      .select()
      .from(licences)
      .where(where)
      .orderBy(asc(licences.expiresOn), asc(licences.number))
      .limit(pageSize)
      .offset((page - 1) * pageSize);
    return { rows, total: totalRow?.n ?? 0, page, pageSize };
  }

  /** Every licence matching `filter` (no paging), for the CSV export. */
  async *iterate(filter: Omit<LicenceSearch, 'page' | 'pageSize'> = {}): AsyncGenerator<Licence> {
    const pageSize = 500;
    for (let page = 1; ; page += 1) {
      const { rows } = await this.search({ ...filter, page, pageSize });
      yield* rows;
      if (rows.length < pageSize) return;
    }
  }

  /**
   * Inserts or replaces licences by number, in one transaction (pass a transaction as `db` to
   * join a bigger one). Omitted `address`/`ward` keep their stored values.
   * @returns how many numbers were new and how many existed.
   */
  async upsertMany(inputs: readonly LicenceInput[]): Promise<{ inserted: number; updated: number }> {
    return this.db.transaction(async (tx) => {
      let inserted = 0;
      for (let i = 0; i < inputs.length; i += UPSERT_BATCH) {
        const now = new Date();
        const values = inputs.slice(i, i + UPSERT_BATCH).map((l) => ({
          number: normaliseLicenceNumber(l.number),
          procedureSlug: l.procedureSlug,
          holderName: l.holderName,
          phone: l.phone,
          address: l.address ?? null,
          ward: l.ward ?? null,
          issuedOn: l.issuedOn,
          expiresOn: l.expiresOn,
          source: l.source,
          bookingId: l.bookingId ?? null,
          updatedAt: now,
        }));
        const rows = await tx
          .insert(licences)
          .values(values)
          .onConflictDoUpdate({
            target: licences.number,
            set: {
              procedureSlug: sql`excluded.procedure_slug`,
              holderName: sql`excluded.holder_name`,
              phone: sql`excluded.phone`,
              address: sql`coalesce(excluded.address, ${licences.address})`,
              ward: sql`coalesce(excluded.ward, ${licences.ward})`,
              issuedOn: sql`excluded.issued_on`,
              expiresOn: sql`excluded.expires_on`,
              bookingId: sql`coalesce(excluded.booking_id, ${licences.bookingId})`,
              updatedAt: now,
            },
          })
          // xmax = 0 only on a freshly inserted row: PostgreSQL's way of telling insert from update.
          .returning({ inserted: sql<boolean>`(xmax = 0)` });
        inserted += rows.filter((r) => r.inserted).length;
      }
      return { inserted, updated: inputs.length - inserted };
    });
  }
}

function searchConditions(filter: LicenceSearch): SQL[] {
  const today = filter.today ?? vietnamToday();
  const conditions: SQL[] = [];
  const query = filter.query?.trim();
  if (query) {
    const number = `%${likeEscape(normaliseLicenceNumber(query))}%`;
    const name = `%${likeEscape(foldForSearch(query))}%`;
    const digits = query.replace(/\D/g, '');
    const options = [
      ilike(licences.number, number),
      sql`lower(translate(${licences.holderName}, ${MARKED_ALL}, ${FOLDED_ALL})) like ${name}`,
    ];
    // "+84 912…" and "0912…" are the same phone: compare on the national digits.
    const international = /^\(?\+84/.test(query) || (digits.startsWith('84') && digits.length >= 11);
    const national = international ? `0${digits.slice(2).replace(/^0/, '')}` : digits;
    if (national.length >= 4) options.push(ilike(licences.phone, `%${national}%`));
    const any = or(...options);
    if (any) conditions.push(any);
  }
  if (filter.procedure) conditions.push(eq(licences.procedureSlug, filter.procedure));
  if (filter.expired) conditions.push(lt(licences.expiresOn, today));
  if (filter.expiringWithinDays !== undefined) {
    conditions.push(gte(licences.expiresOn, today), lte(licences.expiresOn, shiftIsoDate(today, filter.expiringWithinDays)));
  }
  return conditions;
}
