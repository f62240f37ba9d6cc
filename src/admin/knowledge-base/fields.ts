/** Labelled form inputs with their error line, shared by the procedure and office forms. */
import { html, type Html } from '../html';
import { fieldError, invalidAttrs, type FieldErrors } from './deps';

export interface FieldOptions {
  hint?: string;
  required?: boolean;
  type?: 'text' | 'number' | 'url' | 'email' | 'tel' | 'time';
  /** Extra attributes for the input (trusted markup built with `html`). */
  attrs?: Html;
}

const hintLine = (hint?: string) => (hint ? html`<p class="hint muted">${hint}</p>` : '');

/** `<input>` with its label, hint and error. */
export function textField(name: string, label: string, value: string, errors: FieldErrors, opts: FieldOptions = {}): Html {
  return html`<div class="form-row">
    <label for="${`f-${name}`}">${label}</label>
    <input id="${`f-${name}`}" name="${name}" type="${opts.type ?? 'text'}" value="${value}"${opts.required ? html` required` : ''}${invalidAttrs(errors, name)}${opts.attrs ?? ''}>
    ${hintLine(opts.hint)}${fieldError(errors, name)}
  </div>`;
}

/** `<textarea>`, e.g. for "one per line" lists. */
export function textArea(name: string, label: string, value: string, errors: FieldErrors, opts: FieldOptions & { rows?: number } = {}): Html {
  return html`<div class="form-row">
    <label for="${`f-${name}`}">${label}</label>
    <textarea id="${`f-${name}`}" name="${name}" rows="${opts.rows ?? 4}"${invalidAttrs(errors, name)}>${value}</textarea>
    ${hintLine(opts.hint)}${fieldError(errors, name)}
  </div>`;
}

/** `<select>` over `[value, label]` pairs; an unknown current value is kept as an option. */
export function selectField(
  name: string,
  label: string,
  value: string,
  choices: [string, string][],
  errors: FieldErrors,
  opts: { hint?: string; placeholder?: string } = {},
): Html {
  const all = choices.some(([v]) => v === value) || value === '' ? choices : [...choices, [value, value] as [string, string]];
  return html`<div class="form-row">
    <label for="${`f-${name}`}">${label}</label>
    <select id="${`f-${name}`}" name="${name}"${invalidAttrs(errors, name)}>
      ${opts.placeholder !== undefined ? html`<option value="">${opts.placeholder}</option>` : ''}
      ${all.map(([v, l]) => html`<option value="${v}"${v === value ? html` selected` : ''}>${l}</option>`)}
    </select>
    ${hintLine(opts.hint)}${fieldError(errors, name)}
  </div>`;
}

/** A single checkbox, posted as "on" when ticked. */
export function checkbox(name: string, label: string, checked: boolean): Html {
  return html`<div class="form-row checkbox">
    <input type="checkbox" id="${`f-${name}`}" name="${name}"${checked ? html` checked` : ''}>
    <label for="${`f-${name}`}">${label}</label>
  </div>`;
}
