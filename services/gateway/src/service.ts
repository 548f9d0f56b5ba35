/** The gateway as the runtime and the tests see it (the `api` role only: no consumers, no relay). */
import type { ServiceDefinition } from '@invoice/platform-service';
import { buildApp } from './app.ts';
import { readConfig, type Config } from './config.ts';
import { closeDeps, createDeps, SERVICE, type Deps } from './deps.ts';

const parts = { name: SERVICE, readConfig, createDeps, closeDeps, buildApp };
export const service: ServiceDefinition<Config, Deps> = parts;
