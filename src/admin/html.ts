/**
 * Server-rendered HTML with escaping by default: every value interpolated into `html\`…\`` is
 * escaped unless it is itself `Html` (built by `html` or explicitly trusted with `raw`). Stored text
 * (a citizen's message, a procedure name) can therefore never inject markup into the console.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML that is safe to insert as is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

/** Tagged template: `html\`<td>${name}</td>\``; arrays are concatenated, null/undefined/false dropped. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Marks trusted markup (e.g. a JSON blob already escaped for a script tag). Never pass user text. */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** JSON for an inline `<script type="application/json">`: `<` escaped so it cannot close the tag. */
export function jsonForScript(data: unknown): Html {
  return raw(JSON.stringify(data).replace(/</g, '\\u003c'));
}
