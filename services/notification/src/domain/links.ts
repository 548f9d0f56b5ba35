/** Links that emails carry into the web app. */

/** `${publicAppUrl}/<path>?token=…` (a base URL with a path keeps its path). */
export function appLink(publicAppUrl: string, path: string, token: string): string {
  return `${publicAppUrl.replace(/\/+$/, '')}/${path}?token=${encodeURIComponent(token)}`;
}

/** `${APP_URL}/verify-email?token=…` */
export const verifyEmailLink = (publicAppUrl: string, token: string): string =>
  appLink(publicAppUrl, 'verify-email', token);

/** `${APP_URL}/reset-password?token=…` */
export const resetPasswordLink = (publicAppUrl: string, token: string): string =>
  appLink(publicAppUrl, 'reset-password', token);
