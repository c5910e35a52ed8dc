import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import { getQueueToken } from '@nestjs/bullmq';
import { bootService } from '@marquee/common';
import { CSV_IMPORT_QUEUE, MAIL_QUEUE, USAGE_QUEUE } from '@marquee/contracts';
import { registerAdminPortal } from './admin/admin-portal';
import { registerNoStore } from './auth/no-store';
import { GatewayEnv, loadGatewayEnv } from './config/gateway.env';
import { setupOpenApi } from './docs/openapi';
import { GatewayModule } from './gateway.module';
import { registerMovieByIdRoute } from './movies/movie-by-id.route';
import { registerHttpMetrics } from './observability/http-metrics';
import { registerFormBody } from './portal/form-body';
import { registerPortalAssets } from './portal/portal-assets';
import { declareMeter } from './usage/metered-request';
import { UsageBuffer } from './usage/usage-buffer';
import { registerUsageRecorder } from './usage/usage-recorder';
import { registerJsonOnly } from './validation/json-only';

// Loaded by bootService, so a configuration error ends the process with its message and code 78.
void bootService(loadGatewayEnv, (env) => GatewayModule.forRoot(env), {
  rpc: true,
  configure: async (app) => {
    const env = app.get(GatewayEnv);
    const fastify = app.getHttpAdapter().getInstance();
    registerNoStore(fastify);
    registerJsonOnly(fastify);
    registerFormBody(fastify);
    await app.register(fastifyCookie);
    await registerPortalAssets(app);
    // Limits are set per request by the upload handler (UPLOAD_MAX_BYTES).
    await app.register(fastifyMultipart);
    registerHttpMetrics(fastify);
    declareMeter(fastify);
    if (env.USAGE_METERING) registerUsageRecorder(fastify, app.get(UsageBuffer));
    registerMovieByIdRoute(app);
    setupOpenApi(app, env.PUBLIC_URL);
    await registerAdminPortal(app, [CSV_IMPORT_QUEUE, USAGE_QUEUE, MAIL_QUEUE].map((name) => app.get(getQueueToken(name))));
  },
});
