/** The console's personal-data page (Decree 13/2023/NĐ-CP): find, export, erase one person. */
export { privacyRouter, type PrivacyConsoleDeps } from './router';
