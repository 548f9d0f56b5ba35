import type { MikroORM } from '@invoice/platform-db';
import type { Logger } from '@invoice/platform-logger';
import type { Config } from '../config.ts';
import type { SigningKeys } from '../crypto/signing-keys.ts';

/** What the auth use cases need. */
export interface AuthDeps {
  config: Readonly<Config>;
  logger: Logger;
  orm: MikroORM;
  keys: SigningKeys;
}
