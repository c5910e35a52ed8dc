import { bootService } from '@marquee/common';
import { loadIngestionEnv } from './config/ingestion.env';
import { IngestionModule } from './ingestion.module';

// rpc: true so the service can answer Redis-transport patterns without a boot change.
void bootService(() => loadIngestionEnv(), (env) => IngestionModule.forRoot(env), { rpc: true });
