/** The analytics section of the officials' console (charts, not-understood questions, CSV exports). */
export { analyticsRouter, type AnalyticsDeps } from './router';
export { CHART_JS_URL, ANALYTICS_JS_URL } from './assets';
