/**
 * The baseline: a bare Fastify hello-world (the fastify version Nest's adapter uses), run as its
 * own process like the gateway so both compete with autocannon for the same cores.
 */
import Fastify from 'fastify';

const port = Number(process.argv[2] ?? 0);
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
app.get('/ready', async () => ({ status: 'ok' }));
app.listen({ port, host: '127.0.0.1' }).catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
