/**
 * One autocannon phase (warm-up, saturation, fixed rate) through its programmatic API, and the
 * request list that makes every webhook a new signed event while recording which ones the server
 * acknowledged with a 2xx — so a bench can check afterwards that each of them was stored.
 */
import autocannon from 'autocannon';
import { messengerPsid, signedMessengerText, signedZaloText, zaloUserId, type SignedWebhook } from './webhooks';

export interface PhaseOptions {
  url: string;
  connections: number;
  durationSec: number;
  /** Requests per second over all connections (autocannon `overallRate`); unset = as fast as possible. */
  overallRate?: number;
  requests: autocannon.Request[];
}

export interface PhaseResult {
  durationSec: number;
  /** autocannon's mean of the per-second response counts (below the asked rate: the server fell behind). */
  requestsPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  ok2xx: number;
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  /** Response counts by status code. */
  statusCodes: Record<string, number>;
}

export async function runPhase(o: PhaseOptions): Promise<PhaseResult> {
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.durationSec,
    // No coordinated-omission "correction": autocannon 9 takes the expected interval as
    // ceil(1 / requests-per-second) = 1 ms instead of 1000 / rate ms (lib/run.js), which turns every
    // response of L ms into L samples and drags the percentiles towards the slowest ones. A server
    // that falls behind shows instead as an achieved rate below the one asked for.
    ...(o.overallRate === undefined ? {} : { overallRate: o.overallRate, ignoreCoordinatedOmission: true }),
    requests: o.requests,
    timeout: 10,
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = Number(stat.count ?? 0);
  return {
    durationSec: result.duration,
    requestsPerSec: result.requests.average,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}

/** The ids of the events a server answered with a 2xx, per channel. */
export interface Acknowledged {
  ids: string[];
}

/**
 * Alternating Zalo and Messenger text webhooks from `users` people (per channel), texts drawn in
 * turn from `texts`: `build(i)` makes request i a new signed event (new id, current timestamp).
 */
export function webhookBuilder(texts: readonly string[], users: number): (index: number) => SignedWebhook {
  let n = 0;
  const nextText = () => texts[n++ % texts.length] ?? 'xin chào';
  const nextUser = () => Math.floor(Math.random() * users);
  return (index) => (index % 2 === 0 ? signedZaloText(zaloUserId(nextUser()), nextText()) : signedMessengerText(messengerPsid(nextUser()), nextText()));
}

/**
 * The same webhooks as autocannon requests; each is built when autocannon sends it. A connection
 * has one request in flight at a time, so the id kept in its context is the one the response answers.
 */
export function webhookRequests(texts: readonly string[], users: number, acknowledged: Acknowledged): autocannon.Request[] {
  const build = webhookBuilder(texts, users);
  const request = (parity: 0 | 1): autocannon.Request => ({
    method: 'POST',
    setupRequest: (req, context) => {
      const signed = build(parity);
      (context as { id?: string }).id = signed.platformEventId;
      return { ...req, path: signed.path, headers: signed.headers, body: signed.rawBody };
    },
    onResponse: (status, _body, context) => {
      const id = (context as { id?: string }).id;
      if (status >= 200 && status < 300 && id !== undefined) acknowledged.ids.push(id);
    },
  });
  return [request(0), request(1)];
}
