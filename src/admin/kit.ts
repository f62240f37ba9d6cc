/**
 * What every console page needs, supplied by the auth component to the feature routers
 * (knowledge base, inbox, analytics…): who is signed in, role checks, the page layout, CSRF form
 * fields and the audit log. Feature routers depend on this interface only, so each can be built and
 * tested on its own.
 */
import type { RequestHandler, Request } from 'express';
import type { Db } from '../db';
import type { Html } from './html';

export const ROLES = ['admin', 'officer', 'appraiser', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Official {
  id: string;
  email: string;
  name: string;
  role: Role;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the session middleware for a signed-in official. */
    official?: Official;
    /** The session's CSRF token (forms must post it back as `_csrf`). */
    csrfToken?: string;
  }
}

export interface AuditEntry {
  officialId: string | null;
  /** Verb on an entity: `procedure.update`, `official.create`, `conversation.claim`… */
  action: string;
  entity: string;
  entityId?: string;
  before?: unknown;
  after?: unknown;
}

export interface PageOptions {
  title: string;
  body: Html;
  /** Navigation key of the current section (highlights it). */
  active?: string;
  /** A one-time message shown above the page (after a save, an error). */
  flash?: { kind: 'success' | 'error'; text: string };
  /** Extra local scripts/styles for this page, served under /admin/assets/. */
  scripts?: string[];
}

export interface AdminKit {
  /** Signed-in officials with one of `roles` (admin always passes); others: login redirect or 403 page. */
  requireRole(...roles: Role[]): RequestHandler;
  /** A complete HTML page in the console layout, with navigation for the official's role. */
  page(req: Request, options: PageOptions): string;
  /** `<input type="hidden" name="_csrf" …>` for the current session. */
  csrfField(req: Request): Html;
  /** Records a change (in the caller's transaction when `db` is one). */
  audit(db: Db, entry: AuditEntry): Promise<void>;
}
