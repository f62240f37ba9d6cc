/**
 * The analytics page's browser files, all served by this app (the office network may be closed;
 * no CDN): Chart.js's self-contained UMD build from node_modules, and our own script and styles.
 */
import path from 'node:path';

/** Our own files: `analytics.js` (draws the charts) and `analytics.css`. */
export const PUBLIC_DIR = path.join(__dirname, 'public');
/** The chart.js package's `exports` hides `dist/`: resolve its main file (dist/chart.cjs) and take the UMD build beside it. */
export const CHART_JS_FILE = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js');
export const ASSETS_URL = '/admin/assets/analytics';
export const CHART_JS_URL = `${ASSETS_URL}/chart.umd.js`;
export const ANALYTICS_JS_URL = `${ASSETS_URL}/analytics.js`;
export const ANALYTICS_CSS_URL = `${ASSETS_URL}/analytics.css`;
