/** Links that emails carry into the web app. */

/** `${PUBLIC_APP_URL}/verify-email?token=…` (a base URL with a path keeps its path). */
export function verifyEmailLink(publicAppUrl: string, token: string): string {
  return `${publicAppUrl.replace(/\/+$/, '')}/verify-email?token=${encodeURIComponent(token)}`;
}
