/**
 * Send API request validation as Meta does it, for the fake Graph server: a violation answers
 * HTTP 400 with a code 100 ("Invalid parameter") envelope. Limits are Meta's documented ones (Send API,
 * Quick replies, Button template and Buttons references); "characters" are counted as code points.
 * Only what our client sends is modelled in depth: text messages, text quick replies and the button
 * template. Other attachment types answer 100 "not supported by the fake" so a test notices.
 */

export interface FakeGraphError {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  fbtrace_id?: string;
}

export const MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG'] as const;
/** Tags the Send API still documents; the first three were deprecated on 27 April 2026. */
export const MESSAGE_TAGS = ['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE', 'HUMAN_AGENT', 'CUSTOMER_FEEDBACK'] as const;
export const DEPRECATED_TAGS: readonly string[] = ['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE'];
const NOTIFICATION_TYPES = ['REGULAR', 'SILENT_PUSH', 'NO_PUSH'];
const QUICK_REPLY_TYPES = ['text', 'user_phone_number', 'user_email'];

const chars = (s: string) => [...s].length;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function invalid(message: string): FakeGraphError {
  return { message: `(#100) ${message}`, type: 'OAuthException', code: 100 };
}

function checkTitle(title: unknown, where: string): FakeGraphError | undefined {
  if (typeof title !== 'string' || title.trim() === '') return invalid(`${where}[title] must be a non-empty string`);
  if (chars(title) > 20) return invalid(`${where}[title] has more than 20 characters`);
  return undefined;
}

function checkPayload(payload: unknown, where: string): FakeGraphError | undefined {
  if (typeof payload !== 'string' || payload === '') return invalid(`${where}[payload] must be a non-empty string`);
  if (chars(payload) > 1000) return invalid(`${where}[payload] has more than 1000 characters`);
  return undefined;
}

function checkQuickReplies(list: unknown): FakeGraphError | undefined {
  if (!Array.isArray(list)) return invalid('param message[quick_replies] must be an array');
  if (list.length === 0) return invalid('param message[quick_replies] must not be empty');
  if (list.length > 13) return invalid('param message[quick_replies] has more than 13 items');
  for (const [i, q] of list.entries()) {
    const where = `param message[quick_replies][${i}]`;
    if (!isObject(q) || !QUICK_REPLY_TYPES.includes(String(q.content_type))) {
      return invalid(`${where}[content_type] must be one of {${QUICK_REPLY_TYPES.join(', ')}}`);
    }
    if (q.content_type === 'text') {
      const problem = checkTitle(q.title, where) ?? checkPayload(q.payload, where);
      if (problem) return problem;
    }
  }
  return undefined;
}

function checkButton(b: unknown, where: string): FakeGraphError | undefined {
  if (!isObject(b)) return invalid(`${where} must be an object`);
  const titleProblem = checkTitle(b.title, where);
  if (titleProblem) return titleProblem;
  if (b.type === 'postback') return checkPayload(b.payload, where);
  if (b.type === 'web_url') {
    try {
      const u = new URL(String(b.url));
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
    } catch {
      return invalid(`${where}[url] must be a valid http(s) URL`);
    }
    return undefined;
  }
  if (b.type === 'phone_number') return typeof b.payload === 'string' ? undefined : invalid(`${where}[payload] must be a phone number`);
  return invalid(`${where}[type] must be one of {web_url, postback, phone_number}`);
}

function checkAttachment(att: unknown): FakeGraphError | undefined {
  if (!isObject(att) || att.type !== 'template' || !isObject(att.payload)) {
    return invalid('param message[attachment] is not supported by the fake Graph API (only button templates)');
  }
  const p = att.payload;
  if (p.template_type !== 'button') return invalid('param message[attachment][payload][template_type]: the fake supports "button" only');
  if (typeof p.text !== 'string' || p.text.trim() === '') return invalid('param message[attachment][payload][text] must be a non-empty string');
  if (chars(p.text) > 640) return invalid('param message[attachment][payload][text] has more than 640 characters');
  if (!Array.isArray(p.buttons) || p.buttons.length < 1 || p.buttons.length > 3) {
    return invalid('param message[attachment][payload][buttons] must have 1 to 3 buttons');
  }
  for (const [i, b] of p.buttons.entries()) {
    const problem = checkButton(b, `param message[attachment][payload][buttons][${i}]`);
    if (problem) return problem;
  }
  return undefined;
}

/** Validates a Send API body; returns the error Meta would answer, or undefined when acceptable. */
export function validateSendRequest(body: unknown, options: { acceptDeprecatedTags: boolean }): FakeGraphError | undefined {
  if (!isObject(body)) return invalid('the request body must be a JSON object');
  const recipient = body.recipient;
  if (!isObject(recipient) || (typeof recipient.id !== 'string' && typeof recipient.id !== 'number') || String(recipient.id) === '') {
    return invalid('param recipient[id] is required');
  }
  const type = body.messaging_type;
  if (typeof type !== 'string' || !(MESSAGING_TYPES as readonly string[]).includes(type)) {
    return invalid(`param messaging_type must be one of {${MESSAGING_TYPES.join(', ')}} - got "${String(type)}"`);
  }
  if (type === 'MESSAGE_TAG') {
    if (typeof body.tag !== 'string' || !(MESSAGE_TAGS as readonly string[]).includes(body.tag)) {
      return invalid(`param tag must be one of {${MESSAGE_TAGS.join(', ')}} with messaging_type MESSAGE_TAG`);
    }
    // What Meta answers since the deprecation: a bare "Invalid parameter" (chatwoot/chatwoot#14674).
    if (!options.acceptDeprecatedTags && DEPRECATED_TAGS.includes(body.tag)) return invalid('Invalid parameter');
  } else if (body.tag !== undefined) {
    return invalid('param tag is only allowed with messaging_type MESSAGE_TAG');
  }
  if (body.notification_type !== undefined && !NOTIFICATION_TYPES.includes(String(body.notification_type))) {
    return invalid(`param notification_type must be one of {${NOTIFICATION_TYPES.join(', ')}}`);
  }
  const m = body.message;
  if (!isObject(m)) return invalid('param message is required');
  const hasText = m.text !== undefined;
  const hasAttachment = m.attachment !== undefined;
  if (hasText === hasAttachment) return invalid('param message must have exactly one of text or attachment');
  if (hasText) {
    if (typeof m.text !== 'string' || m.text === '') return invalid('param message[text] must be a non-empty UTF-8 string');
    if (chars(m.text) > 2000) return invalid('param message[text] must be less than 2000 characters');
  } else {
    const problem = checkAttachment(m.attachment);
    if (problem) return problem;
  }
  return m.quick_replies === undefined ? undefined : checkQuickReplies(m.quick_replies);
}
