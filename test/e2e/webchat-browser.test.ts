/**
 * The web chat page in a real browser (Debian's chromium driven by playwright-core), against a
 * fake `POST /api/webchat/messages` so the page is tested on its own, per the DESIGN §4.2 contract.
 */
import { launchChromium } from '../support/browser';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';

const PUBLIC_DIR = path.join(__dirname, '../../src/channels/webchat/public');
const SESSION_KEY = 'motcua.chat.sessionId';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The `webchat` section of locales/vi.json, as the server injects it. */
const STRINGS = {
  title: 'Trợ lý Một cửa',
  subtitle: 'Bộ phận Một cửa — hỏi đáp thủ tục hành chính',
  welcome:
    'Xin chào! Em là trợ lý ảo của Bộ phận Một cửa. Anh/chị có thể hỏi về hồ sơ, lệ phí, thời hạn giải quyết, nơi nộp của các thủ tục hành chính, hoặc đặt lịch thẩm định từ xa.',
  placeholder: 'Anh/chị nhập câu hỏi…',
  inputLabel: 'Câu hỏi của anh/chị',
  send: 'Gửi',
  typing: 'Trợ lý đang trả lời…',
  error: 'Dạ, hệ thống đang bận. Anh/chị vui lòng thử lại sau ít phút.',
  offline: 'Dạ, thiết bị của anh/chị đang mất kết nối mạng. Anh/chị vui lòng kiểm tra lại rồi gửi lại tin nhắn.',
  notSent: 'Chưa gửi được',
  restart: 'Trò chuyện mới',
  disclaimer: 'Nội dung trả lời chỉ để tham khảo; thông báo chính thức của cơ quan là căn cứ cuối cùng.',
  messagesLabel: 'Nội dung cuộc trò chuyện',
  quickRepliesLabel: 'Gợi ý trả lời',
  botLabel: 'Trợ lý',
  userLabel: 'Anh/chị',
  opensInNewTab: '(mở trong thẻ mới)',
};

type Body = { sessionId?: unknown; text?: unknown; payload?: unknown };
type Reply = {
  text: string;
  quickReplies?: { title: string; payload: string }[];
  buttons?: { title: string; payload?: string; url?: string }[];
};
type FakeResponse = { status: number; json: unknown };

const GREETING = 'Dạ, em chào anh/chị! Anh/chị cần hỏi thủ tục nào ạ?';
const HOURS = 'Dạ, Bộ phận Một cửa làm việc:\n• Sáng: 7:30 – 11:30\n• Chiều: 13:30 – 17:00\nTừ thứ Hai đến thứ Sáu, trừ ngày lễ.';
const DOCUMENTS = [
  'Dạ, hồ sơ đăng ký khai sinh (dữ liệu mẫu) gồm:',
  '1. Tờ khai đăng ký khai sinh theo mẫu;',
  '2. Giấy chứng sinh (bản chính);',
  '3. Giấy tờ tùy thân của người đi đăng ký.',
  '',
  'Anh/chị có thể nộp trực tuyến tại https://dichvucong.gov.vn/p/home/dvc-trang-chu.html.',
].join('\n');

function ok(replies: Reply[]): FakeResponse {
  return { status: 200, json: { replies } };
}

function cannedReply(body: Body): FakeResponse {
  if (body.payload === 'GET_STARTED') {
    return ok([
      {
        text: GREETING,
        quickReplies: [
          { title: 'Hồ sơ khai sinh', payload: 'PROC_DOCS:khai-sinh' },
          { title: 'Giờ làm việc', payload: 'OFFICE_HOURS' },
          { title: 'Đặt lịch thẩm định từ xa', payload: 'APPRAISAL_BOOK' },
        ],
      },
    ]);
  }
  if (body.payload === 'OFFICE_HOURS') return ok([{ text: HOURS }]);
  if (body.payload === 'PROC_FEE:khai-sinh') return ok([{ text: 'Dạ, đăng ký khai sinh đúng hạn được miễn lệ phí.' }]);
  const text = typeof body.text === 'string' ? body.text : '';
  if (text.toLowerCase().includes('khai sinh')) {
    return ok([
      {
        text: DOCUMENTS,
        buttons: [
          { title: 'Nộp hồ sơ trực tuyến', url: 'https://dichvucong.gov.vn/' },
          { title: 'Xem lệ phí', payload: 'PROC_FEE:khai-sinh' },
          { title: 'Không hiển thị', url: 'javascript:alert(1)' },
        ],
      },
      {
        text: 'Anh/chị cần hỏi thêm gì không ạ?',
        quickReplies: [
          { title: 'Lệ phí', payload: 'PROC_FEE:khai-sinh' },
          { title: 'Giờ làm việc', payload: 'OFFICE_HOURS' },
        ],
      },
    ]);
  }
  return ok([{ text: `Dạ, em chưa hiểu câu hỏi «${text}». Anh/chị hỏi lại giúp em ạ.` }]);
}

let browser: Browser | undefined;
let server: http.Server | undefined;
let baseUrl = '';
let received: Body[] = [];
let handler: (body: Body) => FakeResponse | Promise<FakeResponse> = cannedReply;
const contexts: BrowserContext[] = [];

function renderPage(): string {
  const html = fs.readFileSync(path.join(PUBLIC_DIR, 'chat.html'), 'utf8');
  const json = JSON.stringify(STRINGS).replace(/</g, '\\u003c');
  return html.replace('__CHAT_STRINGS__', () => json).replace('__LANG__', 'vi');
}

function startServer(): Promise<void> {
  const app = express();
  app.use(express.json());
  app.get('/chat', (_req, res) => {
    // A strict policy proves the page needs no inline script or style and nothing from outside.
    res.set(
      'Content-Security-Policy',
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'",
    );
    res.type('html').send(renderPage());
  });
  app.use('/chat', express.static(PUBLIC_DIR, { index: false }));
  app.post('/api/webchat/messages', async (req, res) => {
    const body = req.body as Body;
    received.push(body);
    const reply = await handler(body);
    res.status(reply.status).json(reply.json);
  });
  return new Promise((resolve) => {
    server = app.listen(0, '127.0.0.1', () => {
      baseUrl = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
      resolve();
    });
  });
}

type Chat = { page: Page; problems: string[]; sessionId: () => Promise<unknown> };

async function openChat(options: BrowserContextOptions = {}, path = '/chat'): Promise<Chat> {
  const context = await browser!.newContext(options);
  contexts.push(context);
  // Well under jest's 60 s, so a missing element fails with playwright's message, not a jest timeout.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.text().includes('Content Security Policy')) problems.push(`CSP: ${msg.text()}`);
  });
  page.on('request', (req) => {
    if (!req.url().startsWith(baseUrl)) problems.push(`external request: ${req.url()}`);
  });
  await page.goto(`${baseUrl}${path}`);
  return { page, problems, sessionId: () => page.evaluate(`localStorage.getItem(${JSON.stringify(SESSION_KEY)})`) };
}

async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

const bubbles = (page: Page, who: 'bot' | 'user') => page.locator(`#log .msg.${who} .bubble`);

async function typeAndEnter(page: Page, text: string): Promise<void> {
  await page.getByLabel(STRINGS.inputLabel).fill(text);
  await page.getByLabel(STRINGS.inputLabel).press('Enter');
}

beforeAll(async () => {
  browser = await launchChromium();
  await startServer();
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

beforeEach(() => {
  received = [];
  handler = cannedReply;
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

describe('web chat page', () => {
  test('loads with locale strings and greets a new session exactly once', async () => {
    const { page, problems, sessionId } = await openChat();
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.title()).toBe(STRINGS.title);
    expect(await page.locator('h1').textContent()).toBe(STRINGS.title);
    expect(await page.locator('.welcome').textContent()).toContain(STRINGS.welcome);
    expect(await page.locator('.disclaimer').textContent()).toBe(STRINGS.disclaimer);
    expect(await page.getByLabel(STRINGS.inputLabel).getAttribute('placeholder')).toBe(STRINGS.placeholder);
    expect(await page.getByRole('button', { name: STRINGS.send }).isVisible()).toBe(true);
    expect(await page.locator('#log').getAttribute('aria-live')).toBe('polite');

    await bubbles(page, 'bot').filter({ hasText: GREETING }).waitFor();
    const id = await sessionId();
    expect(id).toMatch(UUID_RE);
    expect(received).toEqual([{ sessionId: id, payload: 'GET_STARTED' }]);
    expect(await page.locator('.quick-replies .chip').allTextContents()).toEqual([
      'Hồ sơ khai sinh',
      'Giờ làm việc',
      'Đặt lịch thẩm định từ xa',
    ]);
    expect(problems).toEqual([]);
  });

  test('Enter sends the text; the reply keeps its lines, links and buttons', async () => {
    const { page, problems, sessionId } = await openChat();
    await page.locator('.chip').first().waitFor();
    await typeAndEnter(page, 'Làm khai sinh cần giấy tờ gì?');

    await bubbles(page, 'user').filter({ hasText: 'Làm khai sinh cần giấy tờ gì?' }).waitFor();
    const answer = bubbles(page, 'bot').filter({ hasText: 'hồ sơ đăng ký khai sinh' });
    await answer.waitFor();
    expect(received[1]).toEqual({ sessionId: await sessionId(), text: 'Làm khai sinh cần giấy tờ gì?' });
    expect(await page.getByLabel(STRINGS.inputLabel).inputValue()).toBe('');

    // One element per line; numbered lines are list items; the sentence's final "." is not in the URL.
    expect(await answer.locator('.line.item').allTextContents()).toEqual([
      '1. Tờ khai đăng ký khai sinh theo mẫu;',
      '2. Giấy chứng sinh (bản chính);',
      '3. Giấy tờ tùy thân của người đi đăng ký.',
    ]);
    const inline = answer.locator('a.inline-link');
    expect(await inline.getAttribute('href')).toBe('https://dichvucong.gov.vn/p/home/dvc-trang-chu.html');
    expect(await inline.getAttribute('rel')).toBe('noopener noreferrer');

    const link = page.locator('#log a.action');
    expect(await link.count()).toBe(1);
    expect(await link.getAttribute('href')).toBe('https://dichvucong.gov.vn/');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.textContent()).toContain('Nộp hồ sơ trực tuyến');
    expect(await page.locator('#log button.action').allTextContents()).toEqual(['Xem lệ phí']);
    expect(await page.locator('#log [href^="javascript"]').count()).toBe(0);

    // The greeting's chips were replaced by the last reply's chips.
    expect(await page.locator('.quick-replies .chip').allTextContents()).toEqual(['Lệ phí', 'Giờ làm việc']);

    await page.locator('#log button.action', { hasText: 'Xem lệ phí' }).click();
    await bubbles(page, 'bot').filter({ hasText: 'miễn lệ phí' }).waitFor();
    expect(received[2]).toEqual({ sessionId: await sessionId(), payload: 'PROC_FEE:khai-sinh' });
    expect(problems).toEqual([]);
  });

  test('reply text is never interpreted as HTML and only http(s) becomes a link', async () => {
    const { page, problems } = await openChat();
    await page.locator('.chip').first().waitFor();
    const hostile = '<img src=x onerror="window.__xss=1"><b>đậm</b> javascript:alert(1) http://a.example/x';
    await typeAndEnter(page, hostile);
    await bubbles(page, 'bot').filter({ hasText: 'em chưa hiểu' }).waitFor();

    expect(await page.locator('#log img, #log b').count()).toBe(0);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await bubbles(page, 'bot').last().textContent()).toContain('<img src=x onerror="window.__xss=1"><b>đậm</b>');
    const hrefs = await page.evaluate(`[...document.querySelectorAll('#log a')].map((a) => a.getAttribute('href'))`);
    expect(hrefs).toEqual(['http://a.example/x', 'http://a.example/x']);
    expect(problems).toEqual([]);
  });

  test('tapping a quick reply sends {sessionId, payload} and shows its title as the user message', async () => {
    const { page, problems, sessionId } = await openChat();
    await page.locator('.chip', { hasText: 'Giờ làm việc' }).click();

    await bubbles(page, 'user').filter({ hasText: 'Giờ làm việc' }).waitFor();
    await bubbles(page, 'bot').filter({ hasText: 'Sáng: 7:30' }).waitFor();
    expect(received[1]).toEqual({ sessionId: await sessionId(), payload: 'OFFICE_HOURS' });
    // The hours reply has no quick replies, so the used ones are gone for good.
    expect(await page.locator('.quick-replies').count()).toBe(0);
    expect(await bubbles(page, 'bot').last().locator('.line').allTextContents()).toEqual(HOURS.split('\n'));

    // Keyboard path: a chip is a button; after Enter on it, focus lands in the composer.
    await page.getByRole('button', { name: STRINGS.restart }).click();
    await page.locator('.chip', { hasText: 'Hồ sơ khai sinh' }).focus();
    await page.keyboard.press('Enter');
    await eventually(() => expect(received.at(-1)).toMatchObject({ payload: 'PROC_DOCS:khai-sinh' }));
    expect(await page.evaluate('document.activeElement.id')).toBe('input');
    expect(problems).toEqual([]);
  });

  test('a QR code link (?ref=) opens the chat on that procedure, once', async () => {
    const { page, problems, sessionId } = await openChat({}, '/chat?ref=PROC:khai-sinh');
    await eventually(() => expect(received).toHaveLength(1));
    expect(received[0]).toEqual({ sessionId: await sessionId(), payload: 'PROC:khai-sinh' });
    expect(new URL(page.url()).search).toBe('');
    await page.reload();
    await page.locator('.welcome').waitFor();
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(1); // neither the ref nor a greeting is sent again
    expect(problems).toEqual([]);
  });

  test('the session id survives a reload and is not greeted twice; "new conversation" starts another', async () => {
    const { page, problems, sessionId } = await openChat();
    await bubbles(page, 'bot').filter({ hasText: GREETING }).waitFor();
    const first = await sessionId();

    await page.reload();
    await page.locator('.welcome').waitFor();
    expect(await sessionId()).toBe(first);
    // The transcript of this tab comes back without asking the server again.
    await bubbles(page, 'bot').filter({ hasText: GREETING }).waitFor();
    expect(await page.locator('.quick-replies .chip').count()).toBe(3);
    await typeAndEnter(page, 'cảm ơn');
    await bubbles(page, 'bot').filter({ hasText: 'cảm ơn' }).waitFor();
    expect(received.map((b) => b.payload ?? b.text)).toEqual(['GET_STARTED', 'cảm ơn']);
    expect(received.every((b) => b.sessionId === first)).toBe(true);

    await page.getByRole('button', { name: STRINGS.restart }).click();
    await eventually(() => expect(received).toHaveLength(3));
    const second = await sessionId();
    expect(second).toMatch(UUID_RE);
    expect(second).not.toBe(first);
    expect(received[2]).toEqual({ sessionId: second, payload: 'GET_STARTED' });
    await bubbles(page, 'bot').filter({ hasText: GREETING }).waitFor();
    expect(await bubbles(page, 'user').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  test('while waiting: typing indicator, send disabled, no second request', async () => {
    const { page, problems } = await openChat({ reducedMotion: 'reduce' });
    await page.locator('.chip').first().waitFor();
    const held = gate();
    handler = async (body) => {
      await held.wait;
      return cannedReply(body);
    };
    const send = page.getByRole('button', { name: STRINGS.send });
    await typeAndEnter(page, 'Hồ sơ khai sinh');

    await page.locator('.typing').waitFor();
    expect(await page.locator('.typing').textContent()).toContain(STRINGS.typing);
    expect(await send.isDisabled()).toBe(true);
    expect(await page.locator('.quick-replies').count()).toBe(0);
    // Reduced motion: the dots hold still.
    expect(await page.evaluate(`getComputedStyle(document.querySelector('.typing .dot')).animationName`)).toBe('none');

    await typeAndEnter(page, 'Giờ làm việc');
    await send.click({ force: true });
    expect(await page.getByLabel(STRINGS.inputLabel).inputValue()).toBe('Giờ làm việc');
    expect(received).toHaveLength(2);

    held.open();
    await bubbles(page, 'bot').filter({ hasText: 'hồ sơ đăng ký khai sinh' }).waitFor();
    expect(await page.locator('.typing').count()).toBe(0);
    expect(await send.isEnabled()).toBe(true);
    expect(received).toHaveLength(2);
    expect(problems).toEqual([]);
  });

  test('a server error shows a polite bubble and gives the typed text back', async () => {
    const { page, problems } = await openChat();
    await page.locator('.chip').first().waitFor();
    handler = () => ({ status: 500, json: { error: 'internal' } });
    await typeAndEnter(page, 'Lệ phí kết hôn bao nhiêu?');

    await page.locator('.msg.error').filter({ hasText: STRINGS.error }).waitFor();
    expect(await page.getByLabel(STRINGS.inputLabel).inputValue()).toBe('Lệ phí kết hôn bao nhiêu?');
    expect(await page.locator('.msg.user.failed').textContent()).toContain(STRINGS.notSent);
    expect(await page.locator('#log').textContent()).not.toContain('internal');
    // The suggestions are offered again rather than lost with the failed request.
    expect(await page.locator('.quick-replies .chip').count()).toBe(3);
    expect(await page.getByRole('button', { name: STRINGS.send }).isEnabled()).toBe(true);

    handler = () => ({ status: 400, json: { error: 'Dạ, tin nhắn dài quá 2.000 ký tự.', issues: [{ path: ['text'] }] } });
    await page.getByLabel(STRINGS.inputLabel).press('Enter');
    await page.locator('.msg.error').filter({ hasText: 'Dạ, tin nhắn dài quá 2.000 ký tự.' }).waitFor();
    expect(await page.getByLabel(STRINGS.inputLabel).inputValue()).toBe('Lệ phí kết hôn bao nhiêu?');

    handler = cannedReply;
    await page.getByLabel(STRINGS.inputLabel).press('Enter');
    await bubbles(page, 'bot').filter({ hasText: 'em chưa hiểu' }).waitFor();
    expect(await page.getByLabel(STRINGS.inputLabel).inputValue()).toBe('');
    expect(received.slice(1).map((b) => b.text)).toEqual(Array(3).fill('Lệ phí kết hôn bao nhiêu?'));
    expect(problems).toEqual([]);
  });

  test('offline: a notice appears and a send says so instead of failing silently', async () => {
    const { page, problems } = await openChat();
    await page.locator('.chip').first().waitFor();
    await page.context().setOffline(true);
    await page.getByRole('status').filter({ hasText: STRINGS.offline }).waitFor();
    await typeAndEnter(page, 'Giờ làm việc?');
    await page.locator('.msg.error').filter({ hasText: STRINGS.offline }).waitFor();
    expect(await page.getByLabel(STRINGS.inputLabel).inputValue()).toBe('Giờ làm việc?');

    await page.context().setOffline(false);
    await page.getByRole('status').waitFor({ state: 'hidden' });
    await page.getByLabel(STRINGS.inputLabel).press('Enter');
    await bubbles(page, 'bot').filter({ hasText: 'em chưa hiểu' }).waitFor();
    expect(received.map((b) => b.payload ?? b.text)).toEqual(['GET_STARTED', 'Giờ làm việc?']);
    expect(problems).toEqual([]);
  });

  test('fits a phone and a laptop screen (screenshots in /tmp)', async () => {
    const shots = [
      { file: '/tmp/chat-phone.png', options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
      { file: '/tmp/chat-desktop.png', options: { viewport: { width: 1280, height: 800 } } },
    ];
    for (const { file, options } of shots) {
      const { page, problems } = await openChat(options);
      await page.locator('.chip').first().waitFor();
      await typeAndEnter(page, 'Hồ sơ khai sinh gồm những gì?');
      await page.locator('.quick-replies .chip', { hasText: 'Lệ phí' }).waitFor();
      await page.waitForTimeout(400); // let the smooth scroll settle before the picture
      await page.screenshot({ path: file });

      const width = options.viewport.width;
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      const composer = await page.locator('#composer').boundingBox();
      expect(composer).not.toBeNull();
      expect(composer!.y + composer!.height).toBeLessThanOrEqual(options.viewport.height);
      expect(problems).toEqual([]);
    }
  });
});
