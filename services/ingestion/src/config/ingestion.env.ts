import { join } from 'node:path';
import { IsNotEmpty, IsString } from 'class-validator';
import { BaseEnv, loadEnv } from '@marquee/common';

export class IngestionEnv extends BaseEnv {
  override PORT = 3003;
  override SERVICE_NAME = 'ingestion';

  @IsString()
  @IsNotEmpty({ message: 'DATA_DIR must not be empty' })
  DATA_DIR = './data';

  /** Imported on first start when the catalogue is empty; `<DATA_DIR>/movies.csv` when unset. */
  @IsString()
  STARTER_CATALOGUE = '';
}

export function loadIngestionEnv(source: NodeJS.ProcessEnv = process.env): IngestionEnv {
  const env = loadEnv(IngestionEnv, source);
  if (!env.STARTER_CATALOGUE) env.STARTER_CATALOGUE = join(env.DATA_DIR, 'movies.csv');
  return env;
}
