/**
 * The console's navigation: each section, its address and who sees it. `admin` sees everything.
 * Remote appraisal (calendar, sessions) is for appraisers and officers; its label lives in its own
 * locale section (`admin-appraisal.nav`).
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
    { key: 'licences', href: '/admin/licences', label: i18n.t('admin-licences.nav'), roles: ['officer', 'viewer'] },
    { key: 'appraisal', href: '/admin/appraisal', label: i18n.t('admin-appraisal.nav'), roles: ['appraiser', 'officer'] },
    { key: 'broadcasts', href: '/admin/broadcasts', label: i18n.t('admin-broadcasts.nav.broadcasts'), roles: ['officer'] },
    { key: 'delivery-outcomes', href: '/admin/delivery-outcomes', label: i18n.t('admin-broadcasts.nav.outcomes'), roles: ['officer'] },
    { key: 'analytics', href: '/admin/analytics', label: i18n.t('admin-layout.nav.analytics'), roles: ['viewer', 'officer'] },
    { key: 'users', href: '/admin/users', label: i18n.t('admin-layout.nav.users'), roles: ['admin'] },
    { key: 'audit', href: '/admin/audit', label: i18n.t('admin-layout.nav.audit'), roles: ['admin'] },
    { key: 'privacy', href: '/admin/privacy', label: i18n.t('admin-privacy.nav'), roles: ['admin'] },
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
