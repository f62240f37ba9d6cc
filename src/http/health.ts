/** `/healthz`: the process is up. `/readyz`: the database answers and every migration is applied. */
import { Router } from 'express';
import { isMigrated, type Database } from '../db';

export function healthRouter(database: Database, state: { shuttingDown: boolean }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (state.shuttingDown) {
      res.status(503).json({ status: 'shutting down' });
      return;
    }
    try {
      const migrated = await isMigrated(database);
      res.status(migrated ? 200 : 503).json({ status: migrated ? 'ready' : 'migrations pending', database: database.kind });
    } catch (err) {
      res.status(503).json({ status: 'database unreachable', error: (err as Error).message });
    }
  });
  return router;
}
