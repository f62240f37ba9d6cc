/**
 * Licence expiry reminders (issue 7, DESIGN.md §4.3b): the ladder, the planner (exactly once, in
 * bounded memory), routing through the channel policies, the tick shared by the CLI and the cron job.
 */
export { runReminderTick, type ReminderTickDeps, type ReminderTickOptions, type ReminderTickSummary } from './tick';
export { licenceRemindersJob, REMINDER_SCHEDULE } from './job';
export { planDueReminders, DEFAULT_PLAN_BATCH, type PlanOptions, type PlanResult } from './planner';
export { loadLadders, planSteps, stepsFor, ladderStepsSchema, type Ladders, type StepPlan } from './ladder';
export { reminderText, znsTemplateData, daysLeft, type ReminderFacts } from './messages';
export { routeReminder, type ReminderIdentity, type RoutingContext, type RouteResult } from './routing';
export { drainUntilSettled, reconcileFailedReminders } from './delivery';
