import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import handlebars from 'handlebars';
import { REPO_ROOT } from '@marquee/common';

const PORTAL = join(REPO_ROOT, 'portals', 'developer');

/**
 * The developer portal's view engine (Handlebars, views/layouts/partials from portals/developer)
 * and its static files. Bootstrap and Chart.js are served from node_modules: the portal works
 * with no internet access.
 */
export async function registerPortalAssets(app: NestFastifyApplication): Promise<void> {
  handlebars.registerHelper('urlencode', (value: unknown) => encodeURIComponent(String(value ?? '')));
  await app.register(fastifyView, {
    engine: { handlebars },
    root: PORTAL,
    layout: 'layouts/main.hbs',
    production: true,
    options: { partials: { nav: 'partials/nav.hbs', field: 'partials/field.hbs' } },
  });
  const assets: [string, string][] = [
    ['/portal/assets/', join(PORTAL, 'public')],
    ['/portal/vendor/bootstrap/', join(REPO_ROOT, 'node_modules', 'bootstrap', 'dist')],
    ['/portal/vendor/chartjs/', join(REPO_ROOT, 'node_modules', 'chart.js', 'dist')],
  ];
  // decorateReply: false — the portal never calls reply.sendFile, and another @fastify/static
  // registration (the admin portal) may own that decorator.
  for (const [prefix, root] of assets) {
    await app.register(fastifyStatic, { root, prefix, decorateReply: false, index: false, maxAge: '1h' });
  }
}
