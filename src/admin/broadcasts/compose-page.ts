/**
 * The compose page: the message, the segment, when to send, and — after "Đếm" — how many people it
 * reaches and what they will see. The preview is drawn from the channels' own renderers (Zalo CS
 * messages, Messenger Send API messages) applied to the very reply delivery sends, so a long text
 * split in two or a quick-reply title shortened on Messenger shows here exactly as it will arrive.
 * Works without JavaScript.
 */
import { broadcastReply, MAX_ASKED_DAYS, MAX_BROADCAST_CHARS, MAX_TITLE_CHARS, SEGMENT_KINDS, type SegmentCount } from '../../broadcasts';
import { renderCsMessages } from '../../channels/zalo';
import { renderReply } from '../../channels/messenger';
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';
import type { ComposeValues, FieldErrors } from './compose-form';
import { tb } from './labels';

export interface ComposeView {
  values: ComposeValues;
  errors: FieldErrors;
  /** Set after counting: the audience now, and the fingerprint of the segment counted. */
  count?: { total: SegmentCount; fingerprint: string };
  procedures: { slug: string; name: string }[];
  csrfField: Html;
}

function bubbles(texts: string[], chips: string[]): Html {
  return html`${texts.map(
    (t, i) => html`<div class="bubble out">${t.split('\n').map((line, j) => (j === 0 ? html`${line}` : html`<br>${line}`))}</div>${
      i === texts.length - 1 && chips.length ? html`<div class="broadcast-chips">${chips.map((c) => html`<span class="badge muted">${c}</span>`)}</div>` : ''
    }`,
  )}`;
}

/** What the recipient sees on each platform. */
export function previewBlock(i18n: Translator, text: string): Html {
  if (!text) return html`<p class="muted">${tb(i18n, 'compose.previewEmpty')}</p>`;
  const length = html`<p class="hint muted">${tb(i18n, 'compose.length', { n: text.length, max: MAX_BROADCAST_CHARS })}</p>`;
  // A text over the limit can never be sent; splitting tens of thousands of characters for a preview
  // would tie the server up for seconds to minutes, so only the length is shown.
  if (text.length > MAX_BROADCAST_CHARS) return length;
  const reply = broadcastReply(text, i18n);
  const zalo = renderCsMessages(reply);
  const zaloChips = zalo.flatMap((m) => m.attachment?.payload.buttons.map((b) => b.title) ?? []);
  const messenger = renderReply(reply);
  const messengerChips = messenger.flatMap((m) => m.quick_replies?.map((q) => q.title) ?? []);
  const messengerTexts = messenger.map((m) => ('text' in m ? m.text : m.attachment.payload.text));
  return html`<div class="broadcast-preview">
    <section><h3>Zalo</h3><div class="chat-log">${bubbles(zalo.map((m) => m.text), zaloChips)}</div></section>
    <section><h3>Messenger</h3><div class="chat-log">${bubbles(messengerTexts, messengerChips)}</div></section>
  </div>
  ${length}`;
}

function fieldError(i18n: Translator, errors: FieldErrors, field: keyof ComposeValues): Html | '' {
  const key = errors[field];
  return key ? html`<p class="field-error" id="${`${field}-error`}">${tb(i18n, `errors.${key}`)}</p>` : '';
}

function row(i18n: Translator, errors: FieldErrors, field: keyof ComposeValues, label: string, control: Html, hint?: string): Html {
  return html`<div class="form-row${errors[field] ? ' has-error' : ''}">
    <label for="${field}">${label}</label>${control}${hint ? html`<p class="hint muted">${hint}</p>` : ''}${fieldError(i18n, errors, field)}
  </div>`;
}

const selected = (a: string, b: string) => (a === b ? html` selected` : '');
const invalid = (errors: FieldErrors, f: keyof ComposeValues) => (errors[f] ? html` aria-invalid="true" aria-describedby="${`${f}-error`}"` : '');

function segmentFields(view: ComposeView, i18n: Translator): Html {
  const { values: v, errors: e } = view;
  return html`<fieldset class="card">
    <legend>${tb(i18n, 'compose.segmentLegend')}</legend>
    ${row(i18n, e, 'kind', tb(i18n, 'compose.kind'), html`<select id="kind" name="kind"${invalid(e, 'kind')}>
      ${SEGMENT_KINDS.map((k) => html`<option value="${k}"${selected(k, v.kind)}>${tb(i18n, `segment.kinds.${k}`)}</option>`)}
    </select>`)}
    ${row(i18n, e, 'channel', tb(i18n, 'compose.channel'), html`<select id="channel" name="channel"${invalid(e, 'channel')}>
      ${(['all', 'zalo', 'messenger'] as const).map((c) => html`<option value="${c}"${selected(c, v.channel)}>${tb(i18n, `channels.${c}`)}</option>`)}
    </select>`, tb(i18n, 'compose.channelHint'))}
    ${row(i18n, e, 'procedure', tb(i18n, 'compose.procedure'), html`<select id="procedure" name="procedure"${invalid(e, 'procedure')}>
      <option value="">${tb(i18n, 'compose.chooseProcedure')}</option>
      ${view.procedures.map((p) => html`<option value="${p.slug}"${selected(p.slug, v.procedure)}>${p.name}</option>`)}
    </select>`, tb(i18n, 'compose.procedureHint'))}
    ${row(i18n, e, 'days', tb(i18n, 'compose.days'), html`<input id="days" name="days" type="number" min="1" max="${MAX_ASKED_DAYS}" value="${v.days}"${invalid(e, 'days')}>`, tb(i18n, 'compose.daysHint'))}
    ${row(i18n, e, 'ward', tb(i18n, 'compose.ward'), html`<input id="ward" name="ward" type="text" maxlength="100" value="${v.ward}"${invalid(e, 'ward')}>`, tb(i18n, 'compose.wardHint'))}
  </fieldset>`;
}

function countBlock(view: ComposeView, i18n: Translator): Html {
  if (!view.count) return html`<p class="muted">${tb(i18n, 'compose.countFirst')}</p>`;
  const { total } = view.count;
  return html`<p class="broadcast-count" id="broadcast-count"><strong>${tb(i18n, 'compose.countResult', { n: total.total })}</strong><br>
    <span class="muted">${tb(i18n, 'compose.countByChannel', { zalo: total.byChannel.zalo, messenger: total.byChannel.messenger })}</span></p>
    ${total.total === 0 ? html`<p class="field-error">${tb(i18n, 'errors.emptySegment')}</p>` : ''}`;
}

export function composePage(view: ComposeView, i18n: Translator): Html {
  const { values: v, errors: e } = view;
  const canSend = (view.count?.total.total ?? 0) > 0;
  return html`<form method="post" action="/admin/broadcasts/new" class="broadcast-compose" novalidate>
    ${view.csrfField}
    <div class="broadcast-columns">
      <div>
        <fieldset class="card">
          <legend>${tb(i18n, 'compose.messageLegend')}</legend>
          ${row(i18n, e, 'title', tb(i18n, 'compose.title'), html`<input id="title" name="title" type="text" maxlength="${MAX_TITLE_CHARS}" value="${v.title}"${invalid(e, 'title')}>`, tb(i18n, 'compose.titleHint'))}
          ${row(i18n, e, 'text', tb(i18n, 'compose.text'), html`<textarea id="text" name="text" rows="8" maxlength="${MAX_BROADCAST_CHARS}"${invalid(e, 'text')}>${v.text}</textarea>`, tb(i18n, 'compose.textHint', { max: MAX_BROADCAST_CHARS }))}
        </fieldset>
        ${segmentFields(view, i18n)}
        <fieldset class="card">
          <legend>${tb(i18n, 'compose.whenLegend')}</legend>
          <div class="form-row checkbox"><input type="radio" id="when-now" name="when" value="now"${v.when === 'now' ? html` checked` : ''}><label for="when-now">${tb(i18n, 'compose.now')}</label></div>
          <div class="form-row checkbox"><input type="radio" id="when-later" name="when" value="later"${v.when === 'later' ? html` checked` : ''}><label for="when-later">${tb(i18n, 'compose.later')}</label></div>
          ${row(i18n, e, 'scheduledAt', tb(i18n, 'compose.scheduledAt'), html`<input id="scheduledAt" name="scheduledAt" type="datetime-local" value="${v.scheduledAt}"${invalid(e, 'scheduledAt')}>`, tb(i18n, 'compose.scheduledAtHint'))}
        </fieldset>
      </div>
      <div>
        <section class="card" id="broadcast-audience" aria-live="polite">
          <h2>${tb(i18n, 'compose.audience')}</h2>
          ${countBlock(view, i18n)}
        </section>
        <section class="card" id="broadcast-preview">
          <h2>${tb(i18n, 'compose.preview')}</h2>
          ${previewBlock(i18n, v.text.normalize('NFC').trim())}
        </section>
      </div>
    </div>
    ${view.count ? html`<input type="hidden" name="countedSegment" value="${view.count.fingerprint}"><input type="hidden" name="countedTotal" value="${view.count.total.total}">` : ''}
    <div class="form-actions">
      <button type="submit" name="action" value="count" class="btn">${tb(i18n, 'compose.count')}</button>
      ${canSend && view.count ? html`<button type="submit" name="action" value="send" class="btn primary">${tb(i18n, 'compose.confirmSend', { n: view.count.total.total })}</button>` : ''}
      <a class="btn" href="/admin/broadcasts">${tb(i18n, 'compose.cancel')}</a>
    </div>
  </form>`;
}
