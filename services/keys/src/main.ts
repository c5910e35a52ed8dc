import { bootService } from '@marquee/common';
import { loadKeysEnv } from './config/keys.env';
import { KeysModule } from './keys.module';

void bootService(loadKeysEnv, (env) => KeysModule.forRoot(env), { rpc: true });
