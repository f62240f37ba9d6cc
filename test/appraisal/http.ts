/** The appraisal routes on a bare express app (with the app's JSON parser and error handler). */
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { appraisalRouter } from '../../src/appraisal';
import type { Db } from '../../src/db';
import { errorHandler, notFound } from '../../src/http/errors';
import { loadTranslator } from '../../src/i18n';
import { createLogger } from '../../src/logger';
import { LINK_SECRET, service } from './support';

export interface ApiServer {
  baseUrl: string;
  close(): Promise<void>;
}

export async function startApi(db: Db, opts: { now: () => Date; ratePerMinute?: number }): Promise<ApiServer> {
  const app = express();
  app.use(express.json());
  app.use(
    appraisalRouter({
      db,
      service: service(db),
      i18n: loadTranslator(path.resolve(__dirname, '../../locales')),
      linkSecret: LINK_SECRET,
      appBaseUrl: 'https://motcua.example.gov.vn',
      ratePerMinute: opts.ratePerMinute ?? 1000,
      clock: opts.now,
    }),
  );
  app.use(notFound);
  app.use(errorHandler(createLogger('silent')));
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
