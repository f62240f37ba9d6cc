/** `POST /api/nlu/parse` (DESIGN.md §4.3): the contract fields of a parse, for officials and tools. */
import { Router } from 'express';
import { z } from 'zod';
import type { Understanding } from '../conversation';
import { parseNow } from '../nlu';
import { localOnly } from './local-only';

const parseRequestSchema = z.object({
  text: z.string().max(2000),
  /** ISO-8601; without an offset it is Vietnam time, as for the `nlu parse` command. */
  now: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const at = parseNow(v);
      if (!at) ctx.addIssue({ code: 'custom', message: 'now must be an ISO-8601 date or date-time' });
      return at ?? undefined;
    }),
});

export function nluRouter(nlu: Understanding): Router {
  const router = Router();
  router.post('/api/nlu/parse', localOnly, async (req, res) => {
    const body = parseRequestSchema.parse(req.body);
    const p = await nlu.parse(body.text, body.now ?? new Date());
    res.json({ text: p.text, intent: p.intent, score: p.score, procedure: p.procedure, entities: p.entities });
  });
  return router;
}
