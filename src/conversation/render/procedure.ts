/**
 * A procedure's answer for one aspect (documents, fee, …) as chat text: short lines, bullet lists,
 * the other aspects offered as quick replies, and the sample-data notice when it applies.
 */
import type { Office, StoredProcedure } from '../../procedures';
import type { Translator } from '../../i18n';
import { foldVietnamese } from '../../nlu';
import { ASPECTS, type Aspect } from '../context';
import type { QuickReply, Reply } from '../types';
import { officeLines } from './office';
import { procedurePayload } from '../payloads';

/** Names are stored capitalised as titles; inside a sentence Vietnamese writes them in lower case. */
export const inSentence = (name: string) => name.charAt(0).toLocaleLowerCase('vi') + name.slice(1);

const formatVnd = (n: number) => n.toLocaleString('vi-VN').replace(/,/g, '.');

function documentsText(p: StoredProcedure, i18n: Translator): string[] {
  const lines = [i18n.t('procedure.documentsIntro', { name: inSentence(p.name) })];
  for (const d of p.documents) {
    const form = i18n.t(`documentForms.${d.form}`);
    const quantity = String(d.quantity).padStart(2, '0');
    // "Tờ khai (theo mẫu)" already says how it is presented: do not say it twice.
    const formInName = foldVietnamese(d.name).includes(foldVietnamese(form));
    if (d.form === 'present_original') lines.push(i18n.t('procedure.documentLineNoCount', { name: d.name, form }));
    else if (formInName) lines.push(i18n.t('procedure.documentLineCountOnly', { name: d.name, quantity }));
    else lines.push(i18n.t('procedure.documentLine', { name: d.name, form, quantity }));
    if (d.note) lines.push(i18n.t('procedure.documentNote', { note: d.note }));
  }
  return lines;
}

function feeText(p: StoredProcedure, i18n: Translator): string[] {
  const { amountVnd, text, exemptions } = p.fee;
  const lines: string[] = [];
  if (amountVnd === 0) lines.push(i18n.t('procedure.feeFree', { name: inSentence(p.name) }));
  else if (amountVnd !== null) {
    lines.push(i18n.t('procedure.feeAmount', { name: inSentence(p.name), amount: i18n.t('common.currency', { amount: formatVnd(amountVnd) }) }));
  }
  if (text) lines.push(amountVnd === null ? i18n.t('procedure.feeDepends', { name: inSentence(p.name), text }) : i18n.t('procedure.feeDetail', { text }));
  if (exemptions.length > 0) {
    lines.push(i18n.t('procedure.feeExemptionsIntro'));
    for (const e of exemptions) lines.push(i18n.t('procedure.feeExemptionLine', { text: e }));
  }
  return lines;
}

function whereText(p: StoredProcedure, office: Office | undefined, i18n: Translator): string[] {
  const lines = [i18n.t('procedure.whereIntro', { name: inSentence(p.name) })];
  if (office) lines.push(...officeLines(office, i18n));
  if (p.where.note) lines.push(i18n.t('procedure.whereNote', { note: p.where.note }));
  return lines;
}

function onlineText(p: StoredProcedure, i18n: Translator): string[] {
  const key = { full: 'onlineFull', partial: 'onlinePartial', none: 'onlineNone' }[p.onlineService.level];
  const lines = [i18n.t(`procedure.${key}`, { name: inSentence(p.name) })];
  if (p.onlineService.note) lines.push(p.onlineService.note);
  if (p.onlineService.url && p.onlineService.level !== 'none') {
    lines.push(i18n.t('procedure.onlineLinkLine', { url: p.onlineService.url }));
  }
  return lines;
}

function stepsText(p: StoredProcedure, i18n: Translator): string[] {
  return [
    i18n.t('procedure.stepsIntro', { name: inSentence(p.name) }),
    ...p.steps.map((text, i) => i18n.t('procedure.stepLine', { n: i + 1, text })),
  ];
}

/** Quick replies for the aspects not just answered. */
export function aspectQuickReplies(slug: string, except: Aspect | undefined, i18n: Translator): QuickReply[] {
  return ASPECTS.filter((a) => a !== except).map((a) => ({
    title: i18n.t(`aspects.${a}`),
    payload: procedurePayload(slug, a),
  }));
}

/** The answer about one aspect of a procedure. */
export function renderAspect(p: StoredProcedure, aspect: Aspect, office: Office | undefined, i18n: Translator): Reply {
  const body = {
    documents: () => documentsText(p, i18n),
    fee: () => feeText(p, i18n),
    duration: () => [i18n.t('procedure.duration', { name: inSentence(p.name), text: p.processingTime.text.replace(/[.\s]+$/, '') })],
    where: () => whereText(p, office, i18n),
    online: () => onlineText(p, i18n),
    steps: () => stepsText(p, i18n),
  }[aspect]();
  if (aspect === 'steps') {
    body.push(i18n.t('common.legalBasis', { list: p.legalBasis.join('; ') }));
  }
  if (p.isSample) body.push(i18n.t('common.sampleNote'));
  const reply: Reply = { text: body.join('\n'), quickReplies: aspectQuickReplies(p.slug, aspect, i18n) };
  if (aspect === 'online' && p.onlineService.url && p.onlineService.level !== 'none') {
    reply.buttons = [{ title: i18n.t('procedure.onlineButton'), url: p.onlineService.url }];
  }
  return reply;
}

/** When only the procedure is known: what it is, and which aspects can be asked. */
export function renderOverview(p: StoredProcedure, i18n: Translator): Reply {
  const text = [
    i18n.t('procedure.overview', { name: inSentence(p.name), field: p.field, level: i18n.t(`levels.${p.level}`) }),
    i18n.t('procedure.overviewAgency', { agency: p.agency }),
  ].join('\n');
  return { text, quickReplies: aspectQuickReplies(p.slug, undefined, i18n) };
}
