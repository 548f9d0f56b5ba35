/**
 * The `notification-email` queue. A job exists because an `emails` row is pending: job id = email
 * id (so re-adding is a no-op) and the data is only that id (no addresses, no tokens in Redis).
 */
import type { Logger } from '@invoice/platform-logger';
import type { JobsOptions, Queue } from '@invoice/platform-queue';

export const EMAIL_QUEUE = 'notification-email';
export const SEND_EMAIL_JOB = 'send-email';

/** The data of a send-email job. */
export interface SendEmailJobData {
  emailId: string;
}

/** Retry policy of send-email jobs. */
export interface EmailJobPolicy {
  attempts: number;
  backoffMs: number;
}

/** Adds send-email jobs for emails that became `queued`. */
export class EmailEnqueuer {
  private readonly queue: Queue;
  private readonly policy: EmailJobPolicy;
  private readonly logger: Logger;

  constructor(queue: Queue, policy: EmailJobPolicy, logger: Logger) {
    this.queue = queue;
    this.policy = policy;
    this.logger = logger;
  }

  /** Job options of one email (deterministic id, attempts, exponential backoff). */
  options(emailId: string): JobsOptions {
    return {
      jobId: emailId,
      attempts: this.policy.attempts,
      backoff: { type: 'exponential', delay: this.policy.backoffMs },
    };
  }

  /** Adds one job; throws when Redis refuses. */
  async add(emailId: string): Promise<void> {
    await this.queue.add(SEND_EMAIL_JOB, { emailId } satisfies SendEmailJobData, this.options(emailId));
  }

  /**
   * Best effort after a commit: a job that cannot be added now is added by the reconciler, because
   * the row already says the email is queued.
   */
  async enqueueAfterCommit(emailIds: readonly string[]): Promise<void> {
    for (const emailId of emailIds) {
      try {
        await this.add(emailId);
        this.logger.debug({ emailId }, 'email job enqueued');
      } catch (error) {
        this.logger.warn({ err: error, emailId }, 'email job not enqueued; the reconciler will add it');
      }
    }
  }
}
