import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { INGESTION_EVENTS, MoviesImportedEvent } from '@marquee/contracts';
import { MovieCache } from './movie-cache';

/** Every gateway replica hears each import and drops what it cached of the old catalogue. */
@Controller()
export class CatalogueEventsController {
  private readonly logger = new Logger(CatalogueEventsController.name);

  constructor(private readonly cache: MovieCache) {}

  @EventPattern(INGESTION_EVENTS.moviesImported)
  onImported(@Payload() event: MoviesImportedEvent): void {
    this.cache.clear();
    this.logger.log(`import ${event.importId} committed (+${event.inserted} ~${event.updated} -${event.deleted}); movie cache cleared`);
  }
}
