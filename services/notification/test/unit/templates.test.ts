import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html, oneLine, safeUrl } from '../../src/templates/html.ts';
import { formatMoney } from '../../src/templates/invoice.template.ts';
import { emailSubject, renderEmail, SECRET_FIELDS, TemplateError } from '../../src/templates/index.ts';

const invoicePayload = (overrides: Record<string, unknown> = {}) => ({
  number: 'INV-2026-0001',
  sellerName: 'Acme GmbH',
  buyerName: 'Globex Ltd',
  gross: '1234.50',
  due: '1234.50',
  currency: 'EUR',
  dueDate: '2026-12-25',
  ...overrides,
});

describe('html tag', () => {
  it('escapes every interpolated value, including quotes for attributes', () => {
    const out = html`<a title="${'" onmouseover="x'}">${'<b>&</b>'}</a>`.value;
    assert.equal(out, '<a title="&quot; onmouseover=&quot;x">&lt;b&gt;&amp;&lt;/b&gt;</a>');
  });

  it('keeps nested html fragments as they are and escapes arrays item by item', () => {
    const inner = html`<i>${'<x>'}</i>`;
    assert.equal(html`<p>${inner}${['<', '>']}</p>`.value, '<p><i>&lt;x&gt;</i>&lt;&gt;</p>');
  });

  it('neutralizes links that are not http(s)', () => {
    assert.equal(safeUrl('javascript:alert(1)'), '#');
    assert.equal(safeUrl('https://app.example.com/x'), 'https://app.example.com/x');
  });

  it('keeps header values on one line', () => {
    assert.equal(oneLine('Invoice 1\r\nBcc: victim@example.com'), 'Invoice 1 Bcc: victim@example.com');
  });

  it('escapes the five HTML-significant characters', () => {
    assert.equal(escapeHtml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
  });
});

describe('verify-email template', () => {
  const payload = {
    name: '<script>alert("x")</script> Ann',
    link: 'http://127.0.0.1:8080/verify-email?token=abc&x=1',
    expiresAt: '2026-11-26T10:00:00.000Z',
  };

  it('escapes the user name in HTML and keeps it readable in text', () => {
    const email = renderEmail('verify-email', payload);
    assert.ok(!email.html.includes('<script>'));
    assert.ok(email.html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Ann'));
    assert.ok(email.text.includes('Hello <script>alert("x")</script> Ann,'));
  });

  it('carries the link in the text and as an escaped href', () => {
    const email = renderEmail('verify-email', payload);
    assert.ok(email.text.includes(payload.link));
    assert.ok(email.html.includes('href="http://127.0.0.1:8080/verify-email?token=abc&amp;x=1"'));
  });

  it('declares its link secret so the log drops it once the email is final', () => {
    assert.deepEqual([...SECRET_FIELDS], ['link']);
  });
});

describe('password-reset template', () => {
  it('carries the reset link and escapes the name', () => {
    const email = renderEmail('password-reset', {
      name: 'Bob <b>',
      link: 'http://127.0.0.1:8080/reset-password?token=t',
      expiresAt: '2026-11-26T10:00:00.000Z',
    });
    assert.equal(email.subject, 'Reset your password');
    assert.ok(email.text.includes('http://127.0.0.1:8080/reset-password?token=t'));
    assert.ok(email.html.includes('Hello Bob &lt;b&gt;,'));
  });
});

describe('invoice template', () => {
  it('names number and seller in the subject and formats amounts from decimal strings', () => {
    const email = renderEmail('invoice', invoicePayload());
    assert.equal(email.subject, 'Invoice INV-2026-0001 from Acme GmbH');
    assert.ok(email.text.includes('€1,234.50'));
    assert.ok(email.text.includes('payable by 2026-12-25'));
  });

  it('escapes seller and buyer names in HTML', () => {
    const email = renderEmail(
      'invoice',
      invoicePayload({ sellerName: 'A & B <Tools>', buyerName: '<img src=x onerror=alert(1)>' }),
    );
    assert.ok(!email.html.includes('<img'));
    assert.ok(email.html.includes('A &amp; B &lt;Tools&gt;'));
  });

  it('formats large amounts exactly, without float rounding', () => {
    assert.equal(formatMoney('123456789012345.67', 'USD'), '$123,456,789,012,345.67');
  });

  it('rejects a payload that does not fit the template', () => {
    assert.throws(() => renderEmail('invoice', { number: 'X' }), TemplateError);
    assert.throws(() => renderEmail('no-such-template', {}), TemplateError);
    assert.throws(() => emailSubject('invoice', { number: 'X' }), TemplateError);
  });
});

describe('subjects without rendering', () => {
  it('gives each template the same subject its full rendering sends', () => {
    const link = {
      name: 'Ann',
      link: 'http://127.0.0.1:8080/x?token=t',
      expiresAt: '2026-11-26T10:00:00.000Z',
    };
    const cases: [string, unknown][] = [
      ['verify-email', link],
      ['password-reset', link],
      ['invoice', invoicePayload({ sellerName: 'Acme\r\nBcc: x@example.com' })],
    ];
    for (const [template, payload] of cases) {
      assert.equal(emailSubject(template, payload), renderEmail(template, payload).subject, template);
    }
    assert.equal(emailSubject('invoice', invoicePayload()), 'Invoice INV-2026-0001 from Acme GmbH');
  });
});

describe('quote template', () => {
  const quotePayload = {
    number: 'QUO-2026-000001',
    sellerName: 'Acme GmbH',
    buyerName: 'Globex <Ltd>',
    gross: '238.00',
    currency: 'EUR',
    validUntil: '2026-12-31',
  };

  it('names the quote and its seller in the subject and states the validity and amount', () => {
    assert.equal(emailSubject('quote', quotePayload), 'Quote QUO-2026-000001 from Acme GmbH');
    const email = renderEmail('quote', quotePayload);
    assert.match(email.text, /quote QUO-2026-000001 from Acme GmbH for €238\.00/);
    assert.match(email.text, /valid until 2026-12-31/);
    assert.match(email.html, /Globex &lt;Ltd&gt;/);
  });

  it('refuses a payload without its validity', () => {
    const { validUntil: _, ...incomplete } = quotePayload;
    assert.throws(() => renderEmail('quote', incomplete), TemplateError);
  });
});
