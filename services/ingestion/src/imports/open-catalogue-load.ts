import { Client } from 'pg';
import type { CatalogueLoad } from './catalogue-load';
import { FreshCatalogue } from './fresh-catalogue';
import { MovieStaging } from './movie-staging';

/**
 * Opens the load for an import: straight into a new catalogue when `movies` is empty (a first
 * load, the biggest import there is), else staged beside it. Forgets what an earlier attempt of
 * this import rejected.
 */
export async function openCatalogueLoad(databaseUrl: string, importId: string): Promise<CatalogueLoad> {
  // Its own connection: the load's transaction or TEMP table lives and dies with it, the merge may
  // outlast the pool's statement timeout, and a killed worker leaves nothing behind.
  const client = new Client({ connectionString: databaseUrl, application_name: 'marquee-ingestion', connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query('delete from import_rejections where import_id = $1', [importId]);
    return (await FreshCatalogue.open(client, databaseUrl, importId)) ?? (await MovieStaging.open(client, databaseUrl, importId));
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}
