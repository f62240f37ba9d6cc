/**
 * How the bot will answer about a procedure, rendered by the bot's own code (`renderAspect`,
 * `renderOverview`) and shown as chat bubbles, so what an official previews is word for word what a
 * citizen reads.
 */
import type { Translator } from '../../i18n';
import type { Office, StoredProcedure } from '../../procedures';
import { renderAspect, renderOverview } from '../../conversation/render/procedure';
import type { Reply } from '../../conversation';
import { html, type Html } from '../html';

/** The aspects in the order the bot offers them (same as `ASPECTS` in the conversation). */
const PREVIEW_ASPECTS = ['documents', 'fee', 'duration', 'where', 'online', 'steps'] as const;

/** Only web links become clickable: the schema's `z.url()` also accepts `javascript:` and the like. */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/**
 * A reply as the chat shows it: the bubble with its lines, then its buttons and quick replies as
 * chips under it. No whitespace inside the bubble: the console styles bubbles `pre-wrap`.
 */
export function replyBubble(reply: Reply): Html {
  const textLines = reply.text.split('\n').map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`));
  const buttons = reply.buttons ?? [];
  const quick = reply.quickReplies ?? [];
  return html`<div class="bubble out">${textLines}</div>${
    buttons.length
      ? html`<div class="reply-chips">${buttons.map((b) =>
          b.url && isWebUrl(b.url)
            ? html`<a class="btn small" href="${b.url}" rel="noopener noreferrer" target="_blank">${b.title}</a>`
            : html`<span class="btn small">${b.title}</span>`,
        )}</div>`
      : ''
  }${quick.length ? html`<div class="reply-chips">${quick.map((q) => html`<span class="badge muted">${q.title}</span>`)}</div>` : ''}`;
}

/**
 * Every answer the bot can give about `p`: the overview, then one exchange per aspect (the
 * citizen's tap on that quick reply, the bot's answer).
 */
export function chatPreview(p: StoredProcedure, office: Office | undefined, i18n: Translator): Html {
  const exchanges = PREVIEW_ASPECTS.map(
    (aspect) => html`<section class="preview-aspect">
      <h3>${i18n.t(`aspects.${aspect}`)}</h3>
      <div class="chat-log">
        <div class="bubble in">${i18n.t(`aspects.${aspect}`)}</div>
        ${replyBubble(renderAspect(p, aspect, office, i18n))}
      </div>
    </section>`,
  );
  return html`<div class="chat-preview">
    <section class="preview-aspect">
      <h3>${i18n.t('admin-kb.preview.overview')}</h3>
      <div class="chat-log">
        <div class="bubble in">${p.name}</div>
        ${replyBubble(renderOverview(p, i18n))}
      </div>
    </section>
    ${exchanges}
  </div>`;
}
