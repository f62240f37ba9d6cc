/** The officials' remote-appraisal pages: calendar, sessions (checklist, outcome, licence), availability. */
export { appraisalConsoleRouter } from './router';
export type { AppraisalConsoleDeps } from './deps';
