/** The document service's configuration: the only place its environment is read. */
import { availableParallelism } from 'node:os';
import { CommonConfig, QueueConfig, S3Config, loadConfig, Type, type Static } from '@invoice/platform-config';

export const ConfigSchema = Type.Object({
  ...CommonConfig,
  ...QueueConfig,
  ...S3Config,
  PORT: Type.Integer({ default: 8084 }),
  /**
   * Render jobs in progress at once per worker process. A job also reads its row, uploads to S3 and
   * commits, so several jobs keep the renderer busy (the threads, or the event loop between I/O).
   */
  RENDER_CONCURRENCY: Type.Integer({ default: 8, minimum: 1, maximum: 64 }),
  /**
   * Threads that draw the PDFs, off the event loop (CPU-bound: about one per core, leaving one for
   * the event loop and the rest of the system); 0 draws them on the event loop. The default is 0 up
   * to two cores: there the CPU is the limit, and a thread costs more than it frees (a second heap,
   * ~100 MB, and the hand-over; measured: 48 instead of 37 ms of CPU per invoice in this process).
   */
  RENDER_THREADS: Type.Integer({ default: defaultRenderThreads(), minimum: 0, maximum: 32 }),
  /** How often pending documents are re-enqueued (jobs are derived from rows, not from Redis). */
  RECONCILE_INTERVAL_MS: Type.Integer({ default: 30_000, minimum: 100 }),
});
export type Config = Static<typeof ConfigSchema>;

function defaultRenderThreads(): number {
  const cores = availableParallelism();
  return cores > 2 ? cores - 1 : 0;
}

/** Reads and validates the configuration (throws a ConfigError naming each bad variable). */
export function readConfig(env?: Record<string, string | undefined>): Readonly<Config> {
  return loadConfig(ConfigSchema, env);
}
