/** Pages of the users admin: the list, the new-account form, the edit form with password reset. */
import type { Request } from 'express';
import type { Translator } from '../../i18n';
import { html } from '../html';
import { ROLES, type AdminKit, type PageOptions } from '../kit';
import { formatDateTime } from '../layout/format';
import { roleLabel } from '../layout/nav';
import { checkboxRow, inputRow, selectRow, type FieldErrors } from './forms';
import type { OfficialRow } from './officials';
import { PASSWORD_MIN_LENGTH } from './passwords';

export interface UserFormValues {
  name: string;
  email: string;
  role: string;
  active: boolean;
}

type Flash = PageOptions['flash'];

function roleOptions(i18n: Translator): [string, string][] {
  return ROLES.map((r) => [r, roleLabel(i18n, r)]);
}

function statusBadge(i18n: Translator, row: OfficialRow, now: Date) {
  if (!row.active) return html`<span class="badge muted">${i18n.t('admin-auth.users.inactive')}</span>`;
  if (row.lockedUntil && row.lockedUntil > now) {
    return html`<span class="badge warn">${i18n.t('admin-auth.users.lockedUntil', { time: formatDateTime(row.lockedUntil) })}</span>`;
  }
  return html`<span class="badge ok">${i18n.t('admin-auth.users.active')}</span>`;
}

export function usersListPage(kit: AdminKit, i18n: Translator, req: Request, rows: OfficialRow[], now: Date, flash?: Flash): string {
  return kit.page(req, {
    title: i18n.t('admin-auth.users.title'),
    active: 'users',
    flash,
    body: html`<div class="toolbar"><a class="btn primary" href="/admin/users/new">${i18n.t('admin-auth.users.add')}</a></div>
      <div class="table-wrap"><table class="data">
        <caption class="visually-hidden">${i18n.t('admin-auth.users.title')}</caption>
        <thead><tr>
          <th scope="col">${i18n.t('admin-auth.users.name')}</th>
          <th scope="col">${i18n.t('admin-auth.users.email')}</th>
          <th scope="col">${i18n.t('admin-auth.users.role')}</th>
          <th scope="col">${i18n.t('admin-auth.users.status')}</th>
          <th scope="col">${i18n.t('admin-auth.users.createdAt')}</th>
          <th scope="col"><span class="visually-hidden">${i18n.t('admin-auth.users.actions')}</span></th>
        </tr></thead>
        <tbody>${rows.map(
          (r) => html`<tr>
            <td>${r.name}</td><td>${r.email}</td><td>${roleLabel(i18n, r.role)}</td>
            <td>${statusBadge(i18n, r, now)}</td><td>${formatDateTime(r.createdAt)}</td>
            <td><a href="/admin/users/${r.id}">${i18n.t('admin-auth.users.edit')}</a></td>
          </tr>`,
        )}</tbody>
      </table></div>`,
  });
}

export function newUserPage(kit: AdminKit, i18n: Translator, req: Request, values: UserFormValues, errors: FieldErrors = {}): string {
  return kit.page(req, {
    title: i18n.t('admin-auth.users.newTitle'),
    active: 'users',
    flash: errors._form ? { kind: 'error', text: errors._form } : undefined,
    body: html`<form method="post" action="/admin/users/new" class="card narrow" novalidate>
      ${kit.csrfField(req)}
      ${inputRow({ name: 'name', label: i18n.t('admin-auth.users.name'), value: values.name, required: true, error: errors.name })}
      ${inputRow({ name: 'email', label: i18n.t('admin-auth.users.email'), type: 'email', value: values.email, required: true, autocomplete: 'off', error: errors.email })}
      ${selectRow({ name: 'role', label: i18n.t('admin-auth.users.role'), value: values.role, options: roleOptions(i18n), error: errors.role })}
      ${inputRow({
        name: 'password',
        label: i18n.t('admin-auth.users.initialPassword'),
        type: 'password',
        autocomplete: 'new-password',
        required: true,
        hint: i18n.t('admin-auth.password.hint', { n: PASSWORD_MIN_LENGTH }),
        error: errors.password,
      })}
      ${inputRow({ name: 'confirm', label: i18n.t('admin-auth.account.confirm'), type: 'password', autocomplete: 'new-password', required: true, error: errors.confirm })}
      <div class="form-actions">
        <button type="submit" class="btn primary">${i18n.t('admin-auth.users.create')}</button>
        <a class="btn" href="/admin/users">${i18n.t('admin-auth.users.cancel')}</a>
      </div>
    </form>`,
  });
}

export function editUserPage(
  kit: AdminKit,
  i18n: Translator,
  req: Request,
  row: OfficialRow,
  values: UserFormValues,
  state: { errors?: FieldErrors; resetErrors?: FieldErrors; flash?: Flash } = {},
): string {
  const errors = state.errors ?? {};
  const resetErrors = state.resetErrors ?? {};
  return kit.page(req, {
    title: i18n.t('admin-auth.users.editTitle', { name: row.name }),
    active: 'users',
    flash: state.flash ?? (errors._form ? { kind: 'error', text: errors._form } : undefined),
    body: html`<div class="grid">
      <form method="post" action="/admin/users/${row.id}" class="card" novalidate>
        <h2>${i18n.t('admin-auth.users.details')}</h2>
        ${kit.csrfField(req)}
        <input type="hidden" name="intent" value="update">
        <p><span class="muted">${i18n.t('admin-auth.users.email')}:</span> ${row.email}</p>
        ${inputRow({ name: 'name', label: i18n.t('admin-auth.users.name'), value: values.name, required: true, error: errors.name })}
        ${selectRow({ name: 'role', label: i18n.t('admin-auth.users.role'), value: values.role, options: roleOptions(i18n), error: errors.role })}
        ${checkboxRow({ name: 'active', label: i18n.t('admin-auth.users.activeLabel'), checked: values.active })}
        ${errors.active ? html`<p class="field-error">${errors.active}</p>` : ''}
        <div class="form-actions"><button type="submit" class="btn primary">${i18n.t('admin-auth.users.save')}</button></div>
      </form>
      <form method="post" action="/admin/users/${row.id}" class="card" novalidate>
        <h2>${i18n.t('admin-auth.users.resetTitle')}</h2>
        <p class="muted">${i18n.t('admin-auth.users.resetHint')}</p>
        ${kit.csrfField(req)}
        <input type="hidden" name="intent" value="reset-password">
        ${inputRow({ name: 'password', label: i18n.t('admin-auth.account.new'), type: 'password', autocomplete: 'new-password', required: true, error: resetErrors.password })}
        ${inputRow({ name: 'confirm', label: i18n.t('admin-auth.account.confirm'), type: 'password', autocomplete: 'new-password', required: true, error: resetErrors.confirm })}
        <div class="form-actions"><button type="submit" class="btn danger">${i18n.t('admin-auth.users.resetSubmit')}</button></div>
      </form>
    </div>
    <p><a href="/admin/users">${i18n.t('admin-auth.users.back')}</a></p>`,
  });
}
