/**
 * `GET/POST /admin/account/password`: an official changes their own password. The current password
 * is required (a borrowed, unlocked laptop is not enough), wrong guesses count towards the sign-in
 * lock-out, and every other session of the official ends so a stolen cookie dies with the old password.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../../db';
import type { Translator } from '../../i18n';
import type { Logger } from '../../logger';
import { html } from '../html';
import type { AdminKit } from '../kit';
import { addressBlocked, lockedUntil, recordAttempt } from './attempts';
import { bodyField, fieldErrors, inputRow, type FieldErrors } from './forms';
import type { Clock } from './middleware';
import { getOfficial, setPasswordHash } from './officials';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, hashPassword, verifyPassword } from './passwords';
import { revokeOtherSessions, sessionOf } from './sessions';

/** New password + confirmation rules, shared with the users page. */
export function newPasswordSchema(i18n: Translator) {
  return z
    .object({
      password: z
        .string()
        .min(PASSWORD_MIN_LENGTH, i18n.t('admin-auth.password.tooShort', { n: PASSWORD_MIN_LENGTH }))
        .max(PASSWORD_MAX_LENGTH, i18n.t('admin-auth.password.tooLong', { n: PASSWORD_MAX_LENGTH })),
      confirm: z.string(),
    })
    .refine((d) => d.password === d.confirm, { path: ['confirm'], message: i18n.t('admin-auth.password.mismatch') });
}

export function accountRouter(deps: { db: Db; kit: AdminKit; i18n: Translator; logger: Logger; clock: Clock }): Router {
  const { db, kit, i18n, clock } = deps;
  const router = Router();

  const render = (req: Request, errors: FieldErrors = {}, flash?: { kind: 'success' | 'error'; text: string }) =>
    kit.page(req, {
      title: i18n.t('admin-auth.account.title'),
      flash,
      body: html`<form method="post" action="/admin/account/password" class="card narrow" novalidate>
        ${kit.csrfField(req)}
        ${inputRow({ name: 'current', label: i18n.t('admin-auth.account.current'), type: 'password', autocomplete: 'current-password', required: true, error: errors.current })}
        ${inputRow({
          name: 'password',
          label: i18n.t('admin-auth.account.new'),
          type: 'password',
          autocomplete: 'new-password',
          required: true,
          hint: i18n.t('admin-auth.password.hint', { n: PASSWORD_MIN_LENGTH }),
          error: errors.password,
        })}
        ${inputRow({ name: 'confirm', label: i18n.t('admin-auth.account.confirm'), type: 'password', autocomplete: 'new-password', required: true, error: errors.confirm })}
        <div class="form-actions"><button type="submit" class="btn primary">${i18n.t('admin-auth.account.submit')}</button></div>
      </form>`,
    });

  router.get('/admin/account/password', kit.requireRole(), (req, res) => {
    const flash = req.query.done === '1' ? { kind: 'success' as const, text: i18n.t('admin-auth.account.changed') } : undefined;
    res.type('html').send(render(req, {}, flash));
  });

  router.post('/admin/account/password', kit.requireRole(), async (req, res) => {
    const me = req.official!;
    const session = sessionOf(req);
    const now = clock();
    const ip = req.ip ?? 'unknown';
    const current = bodyField(req.body, 'current');
    const parsed = newPasswordSchema(i18n).safeParse({ password: bodyField(req.body, 'password'), confirm: bodyField(req.body, 'confirm') });
    const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
    if (!current) errors.current = i18n.t('admin-auth.account.currentRequired');
    else if (current === bodyField(req.body, 'password')) errors.password ??= i18n.t('admin-auth.account.sameAsCurrent');
    if (Object.keys(errors).length > 0 || !parsed.success) {
      res.status(400).type('html').send(render(req, errors));
      return;
    }
    if ((await addressBlocked(db, ip, now)) || (await lockedUntil(db, me.email, now))) {
      res.status(429).type('html').send(render(req, {}, { kind: 'error', text: i18n.t('admin-auth.login.locked') }));
      return;
    }
    const row = await getOfficial(db, me.id);
    if (!row || !session) throw new Error('signed-in official has no account or session');
    const ok = await verifyPassword(row.passwordHash, current);
    await recordAttempt(db, { email: me.email, ip, ok, at: now });
    if (!ok) {
      res.status(400).type('html').send(render(req, { current: i18n.t('admin-auth.account.currentWrong') }));
      return;
    }
    const passwordHash = await hashPassword(parsed.data.password);
    await db.transaction(async (tx) => {
      await setPasswordHash(tx, me.id, passwordHash, now);
      await revokeOtherSessions(tx, me.id, session.tokenHash);
      await kit.audit(tx, {
        officialId: me.id,
        action: 'official.password_change',
        entity: 'official',
        entityId: me.id,
        before: { passwordChangedAt: row.passwordChangedAt },
        after: { passwordChangedAt: now },
      });
    });
    deps.logger.info({ officialId: me.id }, 'admin password changed; other sessions revoked');
    res.redirect(303, '/admin/account/password?done=1');
  });

  return router;
}
