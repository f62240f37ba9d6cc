/** What the licence console needs from the app, and helpers its pages share. */
import type { Request } from 'express';
import type { Db } from '../../db';
import type { Translator, Params } from '../../i18n';
import type { AdminKit } from '../kit';

export interface LicencesConsoleDeps {
  db: Db;
  kit: AdminKit;
  i18n: Translator;
}

/** Where this part's browser assets are served. */
export const ASSETS = '/admin/assets/licences';

/** A translator bound to the `admin-licences` section. */
export function sectionT(i18n: Translator): (key: string, params?: Params) => string {
  return (key, params) => i18n.t(`admin-licences.${key}`, params);
}

/** The signed-in official's id for the audit log (requireRole guarantees one). */
export function officialId(req: Request): string | null {
  return req.official?.id ?? null;
}
