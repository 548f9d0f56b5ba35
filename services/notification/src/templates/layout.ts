/** The shared frame of every email: inline styles only, because mail clients drop <style>. */
import { html, safeUrl, type SafeHtml } from './html.ts';

/** A call-to-action button; the URL is escaped and restricted to http(s). */
export function button(label: string, url: string): SafeHtml {
  return html`<p style="margin:24px 0">
    <a
      href="${safeUrl(url)}"
      style="background:#1f5fbf;color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;display:inline-block"
      >${label}</a
    >
  </p>`;
}

/** Wraps the body in a minimal, client-safe document. */
export function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width" />
        <title>${title}</title>
      </head>
      <body
        style="margin:0;padding:24px;background:#f5f6f8;font-family:Arial,Helvetica,sans-serif;color:#1b1f24"
      >
        <div style="max-width:560px;margin:0 auto;background:#ffffff;padding:32px;border-radius:6px">
          ${body}
          <p style="margin-top:32px;color:#6b7380;font-size:12px">
            Sent by Invoice Platform. This is an automated message.
          </p>
        </div>
      </body>
    </html>`.value;
}
