/**
 * The import worker alone in a process, as the worker role runs it: the catalog's dependencies from
 * the configuration in `CATALOG_CONFIG` (JSON, printed by `import-server.ts`; `IMPORT_BATCH_ROWS`
 * overrides the batch size) and the BullMQ worker
 * of `catalog-import`. Prints `ready`, then works until killed.
 */
import { createLogger } from '@invoice/platform-logger';
import type { Config } from '../../services/catalog/src/config.ts';
import { closeDeps, createDeps } from '../../services/catalog/src/deps.ts';
import { startImportWorker, stopImportWorker } from '../../services/catalog/src/workers/import.worker.ts';

const config = {
  ...(JSON.parse(process.env.CATALOG_CONFIG ?? '{}') as Config),
  // Another batch size for this run (IMPORT_BATCH_ROWS=…), the rest as the server was configured.
  ...(process.env.IMPORT_BATCH_ROWS ? { IMPORT_BATCH_ROWS: Number(process.env.IMPORT_BATCH_ROWS) } : {}),
} as Config;
const deps = await createDeps(config, createLogger('catalog', 'warn'));
const worker = startImportWorker(deps);
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void stopImportWorker(worker)
    .then(() => closeDeps(deps))
    .finally(() => process.exit(0));
});
