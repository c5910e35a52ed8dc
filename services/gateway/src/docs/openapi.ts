import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { documentLimitHeaders } from './limit-headers.openapi';
import { documentMovieById } from './movie-by-id.openapi';

/** /docs (Swagger UI) and /docs-json, built from the controllers' decorators and the plain routes' operations. */
export function setupOpenApi(app: NestFastifyApplication, publicUrl: string): void {
  const config = new DocumentBuilder()
    .setTitle('Marquee API')
    .setDescription('Movie and TV data by API key. Errors are application/problem+json. Every key-bearing answer carries X-RateLimit-* and X-Quota-* headers.')
    .setVersion('1')
    .addServer(publicUrl)
    .addApiKey({ type: 'apiKey', name: 'X-API-KEY', in: 'header' }, 'api-key')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  documentMovieById(document);
  documentLimitHeaders(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
