/**
 * The console's navigation: each section, its address and who sees it. `admin` sees everything.
 * Appraisals get their entry when their pages exist (a later issue), so no link leads nowhere.
 */
import type { Translator } from '../../i18n';
import type { Role } from '../kit';

export interface NavItem {
  key: string;
  href: string;
  label: string;
  /** Roles that see the item; an empty list means every signed-in official. */
  roles: readonly Role[];
}

export function navItems(i18n: Translator): NavItem[] {
  return [
    { key: 'dashboard', href: '/admin', label: i18n.t('admin-layout.nav.dashboard'), roles: [] },
    { key: 'procedures', href: '/admin/procedures', label: i18n.t('admin-layout.nav.procedures'), roles: ['officer'] },
    { key: 'offices', href: '/admin/offices', label: i18n.t('admin-layout.nav.offices'), roles: ['officer'] },
    { key: 'inbox', href: '/admin/inbox', label: i18n.t('admin-layout.nav.inbox'), roles: ['officer'] },
    { key: 'analytics', href: '/admin/analytics', label: i18n.t('admin-layout.nav.analytics'), roles: ['viewer', 'officer'] },
    { key: 'users', href: '/admin/users', label: i18n.t('admin-layout.nav.users'), roles: ['admin'] },
    { key: 'audit', href: '/admin/audit', label: i18n.t('admin-layout.nav.audit'), roles: ['admin'] },
  ];
}

/** Whether `role` may use something open to `allowed` (admin passes every check). */
export function roleAllows(role: Role, allowed: readonly Role[]): boolean {
  return role === 'admin' || allowed.length === 0 || allowed.includes(role);
}

/** The items an official with `role` sees, in order. */
export function navFor(i18n: Translator, role: Role): NavItem[] {
  return navItems(i18n).filter((item) => roleAllows(role, item.roles));
}

export function roleLabel(i18n: Translator, role: Role): string {
  const labels: Record<Role, string> = {
    admin: i18n.t('admin-layout.roles.admin'),
    officer: i18n.t('admin-layout.roles.officer'),
    appraiser: i18n.t('admin-layout.roles.appraiser'),
    viewer: i18n.t('admin-layout.roles.viewer'),
  };
  return labels[role];
}
