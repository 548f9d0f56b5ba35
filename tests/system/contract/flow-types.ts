/**
 * The flow's interface with its test, apart from flow.ts so that the test type-checks without the
 * types generated from the served document (flow.ts alone needs them, and is checked against them
 * by the test itself).
 */
/** What the flow needs from the test: the verification token mailed to `email`, and polling. */
export interface FlowHooks {
  verificationToken: (email: string) => Promise<string>;
  waitFor: <T>(probe: () => Promise<T | undefined>, what: string) => Promise<T>;
  /** Every response, as received (its body read from a copy). */
  observe: (response: {
    method: string;
    url: string;
    status: number;
    contentType: string | null;
    body: string;
  }) => void;
}

/** What the flow reached, for the test's own assertions. */
export interface FlowResult {
  steps: string[];
  invoiceStatus: string;
}
