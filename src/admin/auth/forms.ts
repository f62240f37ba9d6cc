/** Form plumbing shared by the account and users pages: fields with their errors, zod issues by field. */
import type { ZodError } from 'zod';
import { html, type Html } from '../html';

export type FieldErrors = Record<string, string>;

/** First message per top-level field, for showing next to the input. */
export function fieldErrors(error: ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_form');
    out[key] ??= issue.message;
  }
  return out;
}

/** A string field of a urlencoded body ('' when absent), so forms re-render with what was typed. */
export function bodyField(body: unknown, name: string): string {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : '';
}

export interface InputOptions {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value?: string;
  error?: string;
  autocomplete?: string;
  hint?: string;
  required?: boolean;
}

/** A labelled input; the error is tied to it with aria-describedby so screen readers announce it. */
export function inputRow(o: InputOptions): Html {
  const id = `f-${o.name}`;
  const describedBy = [o.hint ? `${id}-hint` : '', o.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="form-row${o.error ? ' has-error' : ''}">
    <label for="${id}">${o.label}</label>
    <input id="${id}" name="${o.name}" type="${o.type ?? 'text'}"${o.type === 'password' ? '' : html` value="${o.value ?? ''}"`}${
      o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''
    }${o.required ? html` required` : ''}${o.error ? html` aria-invalid="true"` : ''}${
      describedBy ? html` aria-describedby="${describedBy}"` : ''
    }>
    ${o.hint ? html`<p class="muted hint" id="${id}-hint">${o.hint}</p>` : ''}
    ${o.error ? html`<p class="field-error" id="${id}-error">${o.error}</p>` : ''}
  </div>`;
}

/** A labelled select; `options` are [value, label]. */
export function selectRow(o: { name: string; label: string; value: string; options: [string, string][]; error?: string }): Html {
  const id = `f-${o.name}`;
  return html`<div class="form-row${o.error ? ' has-error' : ''}">
    <label for="${id}">${o.label}</label>
    <select id="${id}" name="${o.name}"${o.error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
      ${o.options.map(([value, label]) => html`<option value="${value}"${value === o.value ? html` selected` : ''}>${label}</option>`)}
    </select>
    ${o.error ? html`<p class="field-error" id="${id}-error">${o.error}</p>` : ''}
  </div>`;
}

export function checkboxRow(o: { name: string; label: string; checked: boolean }): Html {
  const id = `f-${o.name}`;
  return html`<div class="form-row checkbox">
    <input id="${id}" name="${o.name}" type="checkbox" value="on"${o.checked ? html` checked` : ''}>
    <label for="${id}">${o.label}</label>
  </div>`;
}
