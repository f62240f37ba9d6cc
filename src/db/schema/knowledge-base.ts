/**
 * Knowledge-base tables. The content of a procedure or office is stored as one JSON document,
 * validated by the zod schemas of `src/procedures/model.ts` on every write; the columns beside it are
 * the ones we filter and sort on. This keeps the rich, nested content (documents, steps, fees) easy to
 * evolve while the database still enforces identity and status.
 */
import { boolean, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const offices = pgTable('offices', {
  slug: text('slug').primaryKey(),
  name: text('name').notNull(),
  content: jsonb('content').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const procedures = pgTable('procedures', {
  slug: text('slug').primaryKey(),
  name: text('name').notNull(),
  status: text('status', { enum: ['active', 'retired'] }).notNull().default('active'),
  isSample: boolean('is_sample').notNull().default(false),
  content: jsonb('content').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
