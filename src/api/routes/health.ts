// Probes with honest semantics. /live: the process answers. /ready: every dependency it needs
// works right now (an orchestrator sends traffic only then). /health: the same checks, all shown.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Readiness, ReadinessCheck } from '../readiness.ts';
import { ReadinessCheckSchema } from '../schemas.ts';

/** A probe must answer in time even when a dependency hangs; a hanging check counts as failed. */
const CHECK_TIMEOUT_MS = 2_000;

const ProbeSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.array(ReadinessCheckSchema),
});

export function healthRoutes(readiness: Readiness): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/live',
      {
        schema: {
          tags: ['operations'],
          summary: 'Liveness: the process is able to answer',
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/ready',
      {
        schema: {
          tags: ['operations'],
          summary: 'Readiness: 200 when every check passes, else 503 listing the failing checks',
          response: { 200: ProbeSchema, 503: ProbeSchema },
        },
      },
      async (_request, reply) => {
        const checks = await runChecks(readiness);
        const failing = checks.filter((check) => !check.ok);
        return reply.code(failing.length === 0 ? 200 : 503).send({
          status: failing.length === 0 ? 'ok' : 'unavailable',
          checks: failing,
        });
      },
    );

    app.get(
      '/health',
      {
        schema: {
          tags: ['operations'],
          summary: 'Every readiness check with its result; 503 when any fails',
          response: { 200: ProbeSchema, 503: ProbeSchema },
        },
      },
      async (_request, reply) => {
        const checks = await runChecks(readiness);
        const ok = checks.every((check) => check.ok);
        return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
      },
    );
  };
}

async function runChecks(readiness: Readiness): Promise<ReadinessCheck[]> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ReadinessCheck[]>((resolve) => {
    timer = setTimeout(
      () =>
        resolve([
          {
            name: 'readiness',
            ok: false,
            detail: `checks did not answer within ${CHECK_TIMEOUT_MS} ms`,
          },
        ]),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([readiness(), timedOut]);
  } catch (error) {
    return [
      {
        name: 'readiness',
        ok: false,
        detail: error instanceof Error ? error.message : String(error),
      },
    ];
  } finally {
    clearTimeout(timer);
  }
}
