import { bootService } from '@marquee/common';
import { loadIdentityEnv } from './config/identity.env';
import { IdentityModule } from './identity.module';

void bootService(loadIdentityEnv, (env) => IdentityModule.forRoot(env), { rpc: true });
