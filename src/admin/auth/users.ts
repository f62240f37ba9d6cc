/**
 * Users admin (role `admin`): list, create, edit name/role/active, reset a password. Every change
 * is audited with the account before and after — never the password hash. Deactivating an account
 * or resetting its password ends its sessions at once; role changes apply on the next request.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../../db';
import type { Translator } from '../../i18n';
import { ROLES, type AdminKit } from '../kit';
import { newPasswordSchema } from './account';
import { bodyField, fieldErrors, type FieldErrors } from './forms';
import type { Clock } from './middleware';
import {
  DuplicateEmailError,
  createOfficialAccount,
  getOfficial,
  listOfficials,
  publicView,
  setPasswordHash,
  updateOfficial,
} from './officials';
import { sendNotFound } from './pages';
import { hashPassword } from './passwords';
import { revokeAllSessions, revokeOtherSessions, sessionOf } from './sessions';
import { editUserPage, newUserPage, usersListPage, type UserFormValues } from './users-views';

function schemas(i18n: Translator) {
  const name = z.string().trim().min(1, i18n.t('admin-auth.users.nameRequired')).max(200, i18n.t('admin-auth.users.nameTooLong'));
  const role = z.enum(ROLES, { error: i18n.t('admin-auth.users.roleInvalid') });
  const details = z.object({ name, role, active: z.boolean() });
  const email = z.string().trim().max(320, i18n.t('admin-auth.users.emailInvalid')).pipe(z.email({ error: i18n.t('admin-auth.users.emailInvalid') }));
  return { details, account: z.object({ name, role, email }) };
}

function formValues(body: unknown, withActive: boolean): UserFormValues {
  return {
    name: bodyField(body, 'name'),
    email: bodyField(body, 'email'),
    role: bodyField(body, 'role'),
    active: withActive ? bodyField(body, 'active') === 'on' : true,
  };
}

export function usersRouter(deps: { db: Db; kit: AdminKit; i18n: Translator; clock: Clock }): Router {
  const { db, kit, i18n, clock } = deps;
  const router = Router();
  const adminOnly = kit.requireRole('admin');
  const { details, account } = schemas(i18n);
  const passwordSchema = newPasswordSchema(i18n);
  const doneFlash = (req: Request) => {
    const key = typeof req.query.done === 'string' ? req.query.done : '';
    const texts: Record<string, string> = {
      created: i18n.t('admin-auth.users.created'),
      saved: i18n.t('admin-auth.users.saved'),
      reset: i18n.t('admin-auth.users.resetDone'),
    };
    return texts[key] ? { kind: 'success' as const, text: texts[key] } : undefined;
  };

  router.get('/admin/users', adminOnly, async (req, res) => {
    res.type('html').send(usersListPage(kit, i18n, req, await listOfficials(db), clock(), doneFlash(req)));
  });

  router.get('/admin/users/new', adminOnly, (req, res) => {
    res.type('html').send(newUserPage(kit, i18n, req, { name: '', email: '', role: 'officer', active: true }));
  });

  router.post('/admin/users/new', adminOnly, async (req, res) => {
    const values = formValues(req.body, false);
    const parsedAccount = account.safeParse(values);
    const parsedPassword = passwordSchema.safeParse({ password: bodyField(req.body, 'password'), confirm: bodyField(req.body, 'confirm') });
    const errors: FieldErrors = {
      ...(parsedAccount.success ? {} : fieldErrors(parsedAccount.error)),
      ...(parsedPassword.success ? {} : fieldErrors(parsedPassword.error)),
    };
    if (!parsedAccount.success || !parsedPassword.success) {
      res.status(400).type('html').send(newUserPage(kit, i18n, req, values, errors));
      return;
    }
    try {
      const row = await createOfficialAccount(db, { ...parsedAccount.data, password: parsedPassword.data.password }, req.official!.id);
      res.redirect(303, `/admin/users/${row.id}?done=created`);
    } catch (err) {
      if (!(err instanceof DuplicateEmailError)) throw err;
      res.status(400).type('html').send(newUserPage(kit, i18n, req, values, { email: i18n.t('admin-auth.users.emailTaken') }));
    }
  });

  router.get('/admin/users/:id', adminOnly, async (req, res) => {
    const row = await getOfficial(db, String(req.params.id));
    if (!row) return sendNotFound(res, req, i18n);
    const values = { name: row.name, email: row.email, role: row.role, active: row.active };
    res.type('html').send(editUserPage(kit, i18n, req, row, values, { flash: doneFlash(req) }));
  });

  router.post('/admin/users/:id', adminOnly, async (req, res) => {
    const row = await getOfficial(db, String(req.params.id));
    if (!row) return sendNotFound(res, req, i18n);
    const me = req.official!;
    const current = { name: row.name, email: row.email, role: row.role, active: row.active };
    const intent = bodyField(req.body, 'intent');

    if (intent === 'reset-password') {
      const parsed = passwordSchema.safeParse({ password: bodyField(req.body, 'password'), confirm: bodyField(req.body, 'confirm') });
      if (!parsed.success) {
        res.status(400).type('html').send(editUserPage(kit, i18n, req, row, current, { resetErrors: fieldErrors(parsed.error) }));
        return;
      }
      const now = clock();
      const passwordHash = await hashPassword(parsed.data.password);
      const mySession = sessionOf(req);
      await db.transaction(async (tx) => {
        await setPasswordHash(tx, row.id, passwordHash, now);
        // Resetting one's own password keeps the session in hand; anyone else is signed out everywhere.
        if (row.id === me.id && mySession) await revokeOtherSessions(tx, row.id, mySession.tokenHash);
        else await revokeAllSessions(tx, row.id);
        await kit.audit(tx, {
          officialId: me.id,
          action: 'official.password_reset',
          entity: 'official',
          entityId: row.id,
          before: { passwordChangedAt: row.passwordChangedAt },
          after: { passwordChangedAt: now },
        });
      });
      res.redirect(303, `/admin/users/${row.id}?done=reset`);
      return;
    }

    if (intent !== 'update') {
      res.status(400).type('html').send(editUserPage(kit, i18n, req, row, current, { errors: { _form: i18n.t('admin-auth.users.badRequest') } }));
      return;
    }
    const values = formValues(req.body, true);
    const parsed = details.safeParse(values);
    if (!parsed.success) {
      res.status(400).type('html').send(editUserPage(kit, i18n, req, row, values, { errors: fieldErrors(parsed.error) }));
      return;
    }
    // An admin cannot lock themselves out of the console (nor leave it without an admin that way).
    if (row.id === me.id && (parsed.data.role !== 'admin' || !parsed.data.active)) {
      res.status(400).type('html').send(editUserPage(kit, i18n, req, row, values, { errors: { _form: i18n.t('admin-auth.users.selfChange') } }));
      return;
    }
    await db.transaction(async (tx) => {
      const updated = await updateOfficial(tx, row.id, parsed.data);
      if (!updated) throw new Error(`official ${row.id} vanished during update`);
      if (!updated.active) await revokeAllSessions(tx, row.id);
      await kit.audit(tx, {
        officialId: me.id,
        action: 'official.update',
        entity: 'official',
        entityId: row.id,
        before: publicView(row),
        after: publicView(updated),
      });
    });
    res.redirect(303, `/admin/users/${row.id}?done=saved`);
  });

  return router;
}
