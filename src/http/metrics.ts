/**
 * `GET /metrics` (DESIGN.md §4.2) in the Prometheus text format: queue depths that tell operators
 * whether messages are flowing (inbound events and outbox by status, people waiting for an official)
 * and the process's own health. Read from the database, so every process reports the shared queues.
 */
import { Router } from 'express';
import type { Database } from '../db';

interface Row {
  metric: string;
  status: string;
  n: string | number;
}

export function metricsRouter(database: Database): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const rows = await database.query<Row>(`
      select 'tlmc_inbound_events' as metric, status, count(*) as n from inbound_events group by status
      union all select 'tlmc_outbox_messages', status, count(*) from outbox group by status
      union all select 'tlmc_conversations', status, count(*) from conversations group by status`);
    const lines: string[] = [
      '# HELP tlmc_inbound_events Channel events by processing status.',
      '# TYPE tlmc_inbound_events gauge',
      '# HELP tlmc_outbox_messages Outbound messages by delivery status.',
      '# TYPE tlmc_outbox_messages gauge',
      '# HELP tlmc_conversations Conversations by who answers them (bot, waiting_human, human).',
      '# TYPE tlmc_conversations gauge',
    ];
    for (const r of rows) lines.push(`${r.metric}{status="${r.status}"} ${Number(r.n)}`);
    const mem = process.memoryUsage();
    lines.push(
      '# HELP tlmc_process_resident_memory_bytes Resident memory of this process.',
      '# TYPE tlmc_process_resident_memory_bytes gauge',
      `tlmc_process_resident_memory_bytes ${mem.rss}`,
      '# HELP tlmc_process_uptime_seconds Seconds since this process started.',
      '# TYPE tlmc_process_uptime_seconds gauge',
      `tlmc_process_uptime_seconds ${Math.round(process.uptime())}`,
    );
    res.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });
  return router;
}
