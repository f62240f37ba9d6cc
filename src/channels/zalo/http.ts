/**
 * The HTTP layer shared by the OA/ZNS client and the token store: one axios instance with a timeout,
 * every HTTP status returned to the caller (Zalo's own errors arrive as HTTP 200 envelopes), and
 * transport failures turned into `SendError('transient')`.
 */
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { SendError } from '../types';
import { httpSendError } from './errors';

/** Zalo answers in well under a second; 10 s bounds a hung connection without giving up on a slow one. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export function createZaloHttp(timeoutMs = DEFAULT_TIMEOUT_MS): AxiosInstance {
  return axios.create({
    timeout: timeoutMs,
    // Statuses are classified by us: a 4xx/5xx must not become a generic axios exception.
    validateStatus: () => true,
    headers: { 'User-Agent': 'tro-ly-mot-cua/zalo' },
  });
}

/** A Zalo JSON envelope: `error` 0 on success, `data` with ids. */
export interface ZaloEnvelope {
  error: number;
  message?: string;
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

function isEnvelope(v: unknown): v is ZaloEnvelope {
  return typeof v === 'object' && v !== null && typeof (v as { error?: unknown }).error === 'number';
}

/**
 * POSTs and returns the JSON object Zalo answered (2xx, or a 4xx that carries a JSON object); throws
 * `SendError` for timeouts, network errors, 5xx, 429, and anything that is not a JSON object.
 */
export async function postForJson(
  http: AxiosInstance,
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Record<string, unknown>> {
  let res;
  try {
    res = await http.post(url, body, { headers });
  } catch (err) {
    if (isAxiosError(err)) {
      const what = err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' ? 'timeout' : (err.code ?? err.message);
      throw new SendError('transient', `Zalo unreachable (${what}) for ${new URL(url).pathname}`);
    }
    throw new SendError('transient', `Zalo request failed: ${(err as Error).message}`);
  }
  const data: unknown = res.data;
  const isObject = typeof data === 'object' && data !== null && !Array.isArray(data);
  if (res.status >= 200 && res.status < 300) {
    if (isObject) return data as Record<string, unknown>;
    throw new SendError('transient', `unexpected Zalo response (HTTP ${res.status}, not a JSON object)`);
  }
  if (res.status < 500 && res.status !== 429 && isObject) return data as Record<string, unknown>;
  throw httpSendError(res.status, typeof data === 'string' ? data.slice(0, 200) : JSON.stringify(data ?? null).slice(0, 200));
}

/** Like `postForJson`, but the answer must be a Zalo envelope (`error` a number, 0 on success). */
export async function postForEnvelope(
  http: AxiosInstance,
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<ZaloEnvelope> {
  const data = await postForJson(http, url, body, headers);
  if (isEnvelope(data)) return data;
  throw new SendError('transient', `unexpected Zalo response from ${new URL(url).pathname} (no "error" field)`);
}
