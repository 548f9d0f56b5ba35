/**
 * HTML built only through the `html` tag: every interpolated value is escaped unless it is itself
 * `html` output. The original system put user and firm names into email HTML raw (INVENTORY §4.1).
 */
const SAFE = Symbol('safe-html');

/** A fragment of HTML that was built by {@link html} (so its values are already escaped). */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML element body or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

function isSafe(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && SAFE in value;
}

function render(value: unknown): string {
  if (isSafe(value)) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** Tagged template: literal parts are kept, every `${value}` is escaped (arrays are joined). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return { [SAFE]: true, value: out };
}

/** Only http(s) links may become an href; anything else (javascript:, data:) becomes inert. */
export function safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '#';
}

/** A header value on one line (no CR/LF header injection), trimmed to a sane length. */
export function oneLine(text: string, max = 200): string {
  return text
    .replace(/[\r\n\t\p{Cc}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}
