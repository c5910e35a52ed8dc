import { dirname, join } from 'node:path';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { problem, REPO_ROOT } from '@marquee/common';
import { ADMIN_COOKIE } from './admin-auth.guard';
import { AdminSessions } from './admin-sessions';

export const QUEUE_BOARD_PATH = '/admin/queues';

/** The portal's files are not compiled: they are served from the repository. */
const PORTAL_DIR = join(REPO_ROOT, 'portals', 'admin');

// The portal runs only its own files: no inline script or style, no other origin, never framed.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/**
 * The admin portal at /admin: its static files, Bootstrap and Chart.js from node_modules (no
 * CDN), and bull-board at /admin/queues, read-only and behind the admin cookie.
 */
export async function registerAdminPortal(app: NestFastifyApplication, queues: Queue[]): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const securityHeaders = (reply: FastifyReply) => {
    reply.header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').header('referrer-policy', 'same-origin');
  };
  await fastify.register(fastifyStatic, { root: PORTAL_DIR, prefix: '/admin/', wildcard: false, decorateReply: false, setHeaders: securityHeaders });
  fastify.get('/admin', (_request, reply) => reply.redirect('/admin/'));
  const vendors: Record<string, string> = {
    bootstrap: join(dirname(require.resolve('bootstrap/package.json')), 'dist'),
    // chart.js exports no package.json; its main entry sits in dist/.
    chartjs: dirname(require.resolve('chart.js')),
  };
  for (const [name, root] of Object.entries(vendors)) {
    await fastify.register(fastifyStatic, { root, prefix: `/admin/vendor/${name}/`, wildcard: false, decorateReply: false, setHeaders: securityHeaders });
  }
  await registerQueueBoard(fastify, app.get(AdminSessions), queues);
}

async function registerQueueBoard(fastify: FastifyInstance, sessions: AdminSessions, queues: Queue[]): Promise<void> {
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Marquee queues' } },
  });
  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      const token = request.cookies?.[ADMIN_COOKIE];
      try {
        if (!token) throw new Error('no admin cookie');
        await sessions.verify(token);
      } catch {
        if (request.method === 'GET' && request.headers.accept?.includes('text/html')) return reply.redirect('/admin/');
        return reply.code(401).type('application/problem+json')
          .send(problem(401, 'ADMIN.UNAUTHORIZED', 'Sign in to the admin portal to see the queues.'));
      }
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}
