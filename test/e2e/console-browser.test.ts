/**
 * The officials' console end to end, in a real browser (Debian's chromium driven by playwright-core)
 * against the real app (sample knowledge base, real NLU, a real database): an officer signs in
 * (after a wrong password), edits the fee of "Đăng ký kết hôn" and the bot's answer changes, takes
 * over a web chat conversation, replies and hands it back; an admin opens the users and audit pages.
 * Every official action is a click or typed text in the page; only the citizen talks to the API.
 * Screenshots of each main page go to /tmp/console-shots/ for a human to look at.
 */
import { launchChromium, openWatchedPage } from '../support/browser';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeEachDatabase } from '../support/db';
import { postJson, startApp, type RunningApp } from '../support/app';
import { createOfficial, type TestOfficial } from '../admin/auth/support';

const SHOTS_DIR = '/tmp/console-shots';
const DESKTOP = { width: 1280, height: 800 };
const TABLET = { width: 820, height: 1180 };

const FEE_QUESTION = 'lệ phí đăng ký kết hôn bao nhiêu';
const NEW_FEE_TEXT = 'Nộp lệ phí tại quầy thu ngân khi nhận Giấy chứng nhận kết hôn (thử nghiệm).';

/** The strings the pages show (locales/vi/*.json), written out so a changed text is noticed. */
const UI = {
  login: { email: 'Email', password: 'Mật khẩu', submit: 'Đăng nhập', invalid: 'Email hoặc mật khẩu không đúng' },
  nav: {
    procedures: 'Thủ tục hành chính',
    offices: 'Nơi tiếp nhận hồ sơ',
    inbox: 'Hộp thư hỗ trợ',
    licences: 'Giấy phép',
    appraisal: 'Thẩm định từ xa',
    broadcasts: 'Thông báo',
    outcomes: 'Kết quả gửi tin',
    analytics: 'Thống kê',
    users: 'Tài khoản cán bộ',
    audit: 'Nhật ký thay đổi',
  },
  kb: {
    search: 'Tìm',
    filter: 'Lọc',
    feeAmount: 'Số tiền (đồng)',
    feeText: 'Diễn giải lệ phí',
    save: 'Lưu',
    preview: 'Xem trước',
    saved: 'Đã lưu. Trợ lý sẽ trả lời theo nội dung mới ngay.',
    draftNote: 'Đây là bản xem trước theo nội dung đang sửa, chưa được lưu.',
    savedNote: 'Đây là câu trả lời của trợ lý theo nội dung đã lưu.',
  },
  inbox: {
    open: 'Xem',
    claim: 'Nhận xử lý',
    claimed: 'Anh/chị đã nhận xử lý cuộc trò chuyện. Trợ lý tạm ngừng trả lời tự động.',
    replyLabel: 'Trả lời người dân',
    send: 'Gửi trả lời',
    repliedWebchat: 'Đã lưu trả lời; người dân sẽ thấy trong cửa sổ web chat.',
    release: 'Trả lại cho trợ lý',
    released: 'Đã trả cuộc trò chuyện lại cho trợ lý.',
  },
  /** Titles of the console's error pages: a screenshot of one of these is a failure. */
  errorTitles: ['Không có quyền truy cập', 'Không tìm thấy trang', 'Yêu cầu không hợp lệ'],
};

let browser: Browser | undefined;

beforeAll(async () => {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Saves a screenshot after checking the page is a console page and not an error page. */
async function shot(page: Page, name: string): Promise<void> {
  const title = (await page.locator('h1').first().textContent())?.trim() ?? '';
  expect(UI.errorTitles).not.toContain(title);
  await page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`) });
}

/** Clicks a link of the main navigation and waits for its page. */
async function goByNav(page: Page, label: string, pathname: string): Promise<void> {
  await page.locator('#site-nav').getByRole('link', { name: label, exact: true }).click();
  await page.waitForURL((url) => url.pathname === pathname);
  expect(await page.locator('#site-nav [aria-current="page"]').textContent()).toBe(label);
}

/** Signs in through the form and lands on the dashboard. */
async function signIn(page: Page, baseUrl: string, who: TestOfficial): Promise<void> {
  await page.goto(`${baseUrl}/admin/login`);
  await page.getByLabel(UI.login.email, { exact: true }).fill(who.email);
  await page.getByLabel(UI.login.password, { exact: true }).fill(who.password);
  await page.getByRole('button', { name: UI.login.submit, exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/admin');
  await page.getByText(`Xin chào, ${who.name}.`).waitFor();
}

describeEachDatabase('officials\' console in a browser', (getDb) => {
  let app: RunningApp;
  const contexts: BrowserContext[] = [];

  beforeEach(async () => {
    // Inside the test's lifetime: describeEachDatabase empties the tables before each test, and the
    // app seeds the sample knowledge base when it starts.
    app = await startApp(getDb().database);
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await app?.close();
  });

  /** The citizen's side: the web chat API, as the chat page calls it. */
  const ask = async (sessionId: string, text: string): Promise<{ text: string }[]> => {
    const res = await postJson(`${app.baseUrl}/api/webchat/messages`, { sessionId, text });
    expect(res.status).toBe(200);
    return res.body.replies as { text: string }[];
  };
  const answerText = (replies: { text: string }[]) => replies.map((r) => r.text).join('\n');

  it('signs in, edits a fee the bot then quotes, takes over a web chat and hands it back', async () => {
    const db = getDb().database.db;
    const officer = await createOfficial(db, { role: 'officer', email: 'can-bo.an@mot-cua.test', name: 'Nguyễn Văn An' });
    const admin = await createOfficial(db, { role: 'admin', email: 'quan-tri@mot-cua.test', name: 'Lê Quản Trị' });
    const base = app.baseUrl;
    const { page, problems, failures } = await openWatchedPage(browser!, contexts, base, DESKTOP);

    // --- Sign in: a wrong password first ---------------------------------------------------------
    await page.goto(`${base}/admin/login`);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await shot(page, 'login');
    await page.getByLabel(UI.login.email, { exact: true }).fill(officer.email);
    await page.getByLabel(UI.login.password, { exact: true }).fill('khong-phai-mat-khau');
    await page.getByRole('button', { name: UI.login.submit, exact: true }).click();
    await page.locator('.flash.error[role="alert"]', { hasText: UI.login.invalid }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    expect(await page.locator('#site-nav').count()).toBe(0);
    expect(await page.getByLabel(UI.login.email, { exact: true }).inputValue()).toBe(officer.email);
    expect(await page.getByLabel(UI.login.password, { exact: true }).inputValue()).toBe('');

    await page.getByLabel(UI.login.password, { exact: true }).fill(officer.password);
    await page.getByRole('button', { name: UI.login.submit, exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/admin');
    await page.getByText(`Xin chào, ${officer.name}.`).waitFor();
    // An officer sees the work sections, not the admin's.
    expect(await page.locator('#site-nav a').allTextContents()).toEqual([
      'Trang chủ',
      UI.nav.procedures,
      UI.nav.offices,
      UI.nav.inbox,
      UI.nav.licences,
      UI.nav.appraisal,
      UI.nav.broadcasts,
      UI.nav.outcomes,
      UI.nav.analytics,
    ]);
    await shot(page, 'dashboard');

    // --- Edit the fee of "Đăng ký kết hôn"; the bot quotes the new fee ---------------------------
    const citizen = randomUUID();
    const before = answerText(await ask(citizen, FEE_QUESTION));
    expect(before).toContain('miễn lệ phí');
    expect(before).not.toContain('50.000 đồng');

    await goByNav(page, UI.nav.procedures, '/admin/procedures');
    await page.locator('table.data tbody tr').first().waitFor();
    await shot(page, 'procedures');
    await page.getByLabel(UI.kb.search, { exact: true }).fill('ket hon');
    await page.getByRole('button', { name: UI.kb.filter, exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === 'ket hon');
    await page.locator('table.data').getByRole('link', { name: 'Đăng ký kết hôn', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/admin/procedures/ket-hon');

    const feeAmount = page.getByLabel(UI.kb.feeAmount, { exact: true });
    const feeText = page.getByLabel(UI.kb.feeText, { exact: true });
    expect(await feeAmount.inputValue()).toBe('0');
    await feeAmount.fill('50000');
    await feeText.fill(NEW_FEE_TEXT);

    // The preview shows the unsaved values as the bot would answer them.
    await page.getByRole('button', { name: UI.kb.preview, exact: true }).click();
    const preview = page.locator('#preview');
    await preview.getByText(UI.kb.draftNote, { exact: false }).waitFor();
    expect(await preview.innerText()).toContain('lệ phí đăng ký kết hôn là 50.000 đồng');
    expect(await feeAmount.inputValue()).toBe('50000');
    await shot(page, 'procedure-edit');
    await preview.locator('.preview-aspect', { hasText: '50.000 đồng' }).scrollIntoViewIfNeeded();
    await shot(page, 'procedure-preview');

    await page.getByRole('button', { name: UI.kb.save, exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/admin/procedures/ket-hon' && url.searchParams.get('done') === 'saved');
    await page.locator('.flash.success', { hasText: UI.kb.saved }).waitFor();
    expect(await feeAmount.inputValue()).toBe('50000');
    expect(await feeText.inputValue()).toBe(NEW_FEE_TEXT);
    await preview.getByText(UI.kb.savedNote).waitFor();
    expect(await preview.innerText()).toContain('50.000 đồng');

    const after = answerText(await ask(randomUUID(), FEE_QUESTION));
    expect(after).toContain('50.000 đồng');
    expect(after).toContain(NEW_FEE_TEXT);
    expect(after).not.toContain('được miễn lệ phí');

    await goByNav(page, UI.nav.offices, '/admin/offices');
    await page.locator('table').first().waitFor();
    await shot(page, 'offices');

    // --- A citizen asks for an official; the officer claims, replies, hands back -----------------
    const asker = randomUUID();
    expect(answerText(await ask(asker, 'cho tôi gặp cán bộ'))).toContain('đã chuyển cuộc trò chuyện đến cán bộ');

    await goByNav(page, UI.nav.inbox, '/admin/inbox');
    const waitingRow = page.locator('#inbox-waiting tbody tr', { hasText: asker });
    await waitingRow.waitFor();
    expect(await waitingRow.innerText()).toContain('Yêu cầu gặp cán bộ');
    await shot(page, 'inbox');
    await waitingRow.getByRole('link', { name: UI.inbox.open, exact: true }).click();
    await page.waitForURL((url) => /^\/admin\/inbox\/[0-9a-f-]{36}$/.test(url.pathname));
    const conversationPath = new URL(page.url()).pathname;
    const chat = page.locator('#inbox-chat');
    await chat.locator('.bubble.in', { hasText: 'cho tôi gặp cán bộ' }).waitFor();

    await page.getByRole('button', { name: UI.inbox.claim, exact: true }).click();
    await page.locator('.flash.success', { hasText: UI.inbox.claimed }).waitFor();
    expect(new URL(page.url()).pathname).toBe(conversationPath);
    const replyText = 'Chào anh/chị, em là cán bộ An. Anh/chị cần hỗ trợ thủ tục nào ạ?';
    await page.getByLabel(UI.inbox.replyLabel, { exact: true }).pressSequentially(replyText);
    await page.getByRole('button', { name: UI.inbox.send, exact: true }).click();
    await page.locator('.flash.success', { hasText: UI.inbox.repliedWebchat }).waitFor();
    await chat.locator('.bubble.official', { hasText: replyText }).waitFor();

    // The citizen's chat page fetches the officials' replies.
    const fetched = await fetch(`${base}/api/webchat/messages?sessionId=${asker}&after=0`);
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toMatchObject({ replies: [{ text: replyText }], waiting: true });

    // While the officer holds the conversation the bot stays quiet...
    expect(await ask(asker, FEE_QUESTION)).toEqual([]);
    // ...and the officer's open page shows the new message without a reload (inbox.js polls every 4 s).
    const latest = chat.locator('.bubble.in', { hasText: FEE_QUESTION });
    await latest.waitFor({ timeout: 12_000 });
    await latest.scrollIntoViewIfNeeded(); // the history and the reply form, below the details
    await shot(page, 'conversation');

    await page.getByRole('button', { name: UI.inbox.release, exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/admin/inbox' && url.searchParams.get('done') === 'released');
    await page.locator('.flash.success', { hasText: UI.inbox.released }).waitFor();
    expect(await page.locator('#inbox-waiting, #inbox-mine', { hasText: asker }).count()).toBe(0);
    // The bot answers again, with the new fee.
    expect(answerText(await ask(asker, FEE_QUESTION))).toContain('50.000 đồng');

    // --- Analytics: the charts draw from the local Chart.js -------------------------------------
    await goByNav(page, UI.nav.analytics, '/admin/analytics');
    await page.waitForFunction("window.Chart !== undefined && document.querySelectorAll('canvas').length > 0");
    // Chart.js registers every chart it drew; each canvas on the page has one.
    await page.waitForFunction("[...document.querySelectorAll('canvas')].every((c) => window.Chart.getChart(c) !== undefined)");
    await page.waitForTimeout(600); // let the chart animations finish before the picture
    await shot(page, 'analytics');

    // --- The procedures list on a tablet -------------------------------------------------------
    await page.setViewportSize(TABLET);
    // The menu button is for phones (under 760 px); on a tablet the navigation stays in view.
    expect(await page.locator('.nav-toggle').isVisible()).toBe(false);
    await goByNav(page, UI.nav.procedures, '/admin/procedures');
    await page.locator('table.data tbody tr').first().waitFor();
    // Usable on a tablet: nothing wider than the screen, so no sideways scrolling.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(TABLET.width);
    await shot(page, 'procedures-tablet');

    // --- An admin: users and audit -------------------------------------------------------------
    const adminView = await openWatchedPage(browser!, contexts, base, DESKTOP);
    await signIn(adminView.page, base, admin);
    await goByNav(adminView.page, UI.nav.users, '/admin/users');
    await adminView.page.locator('table', { hasText: officer.email }).waitFor();
    await shot(adminView.page, 'users');
    await goByNav(adminView.page, UI.nav.audit, '/admin/audit');
    // The officer's fee change, claim, reply and hand-back are in the log.
    const audit = adminView.page.locator('main');
    await audit.getByText('procedure.update').first().waitFor();
    expect(await audit.innerText()).toContain(officer.name);
    await shot(adminView.page, 'audit');

    expect(problems).toEqual([]);
    expect(adminView.problems).toEqual([]);
    // The only failed response is the refused sign-in.
    expect(failures).toEqual(['401 POST /admin/login']);
    expect(adminView.failures).toEqual([]);
  });
});
