/**
 * The hand-over in a real browser (Debian's chromium via playwright-core), under strict CSPs:
 * the person asks for an official on the web chat, an official claims and replies, and the reply
 * appears in the person's chat; the official's page shows the person's new message without a reload.
 */
import { launchChromium } from '../../support/browser';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { webchatRouter } from '../../../src/channels/webchat/routes';
import { inboxRouter, webchatOfficialRepliesRouter } from '../../../src/admin/inbox';
import { createLogger } from '../../../src/logger';
import { importKnowledgeBase, ProcedureRepository } from '../../../src/procedures';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { testOffice, testProcedure } from '../../support/fixtures';
import { as, conversationOn, i18n, officials, seedOfficials, TEST_CSRF, testKit } from './test-kit';

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'";

let browser: Browser | undefined;
let server: Server | undefined;
let database: (TestDatabase & { drop(): Promise<void> }) | undefined;
let baseUrl = '';

beforeAll(async () => {
  database = await openTestDatabase('pglite');
  await seedOfficials(database.database);
  const kb = { offices: [testOffice], procedures: [testProcedure('ket-hon', { name: 'Đăng ký kết hôn' })] };
  await importKnowledgeBase(new ProcedureRepository(database.database.db), JSON.stringify(kb), 'json');
  const app = express();
  // The console's policy will be A's; the same strictness here proves the page needs no inline script.
  app.use('/admin', (_req, res, next) => {
    res.set('Content-Security-Policy', CSP);
    next();
  });
  app.use(express.json());
  app.use(webchatRouter({ conversation: conversationOn(database.database), i18n }));
  app.use(webchatOfficialRepliesRouter({ db: database.database.db, i18n }));
  app.use(inboxRouter({ db: database.database.db, kit: testKit, i18n, logger: createLogger('silent') }));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await database?.drop();
});

function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`);
  });
  // Any failed load but the browser's own favicon guess (the test app serves none).
  page.on('response', (res) => {
    if (res.status() >= 400 && !res.url().endsWith('/favicon.ico')) problems.push(`${res.status()} ${res.url()}`);
  });
  return problems;
}

async function officialPost(path: string, form: Record<string, string>) {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...as(officials.an), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: TEST_CSRF, ...form }).toString(),
  });
}

it('carries an official reply to the web chat and the person\'s new messages to the official\'s page', async () => {
  const chat = await (await browser!.newContext()).newPage();
  chat.setDefaultTimeout(15_000);
  const chatProblems = watchProblems(chat);
  await chat.goto(`${baseUrl}/chat`);
  await chat.locator('#log .msg.bot').first().waitFor(); // the greeting
  await chat.getByLabel('Câu hỏi của anh/chị').fill('gặp cán bộ');
  await chat.getByLabel('Câu hỏi của anh/chị').press('Enter');
  await chat.locator('#log .msg.bot', { hasText: 'đã chuyển cuộc trò chuyện đến cán bộ' }).waitFor();

  const sessionId = (await chat.evaluate("localStorage.getItem('motcua.chat.sessionId')")) as string;
  const [conv] = await database!.database.query<{ id: string }>('select id from conversations where channel_user_id = $1', [sessionId]);
  const id = conv!.id;
  expect((await officialPost(`/admin/inbox/${id}/claim`, {})).status).toBe(303);

  // The official's page, open while the person writes again.
  const officialContext = await browser!.newContext({ extraHTTPHeaders: as(officials.an) });
  const console = await officialContext.newPage();
  console.setDefaultTimeout(15_000);
  const consoleProblems = watchProblems(console);
  await console.goto(`${baseUrl}/admin/inbox/${id}`);
  expect(await console.locator('#inbox-chat .bubble').count()).toBeGreaterThanOrEqual(3);
  await conversationOn(database!.database).handle({ channel: 'webchat', channelUserId: sessionId, text: 'Em cần <b>gấp</b> ạ', receivedAt: new Date() });
  await console.locator('#inbox-chat .bubble.in', { hasText: 'Em cần <b>gấp</b> ạ' }).waitFor();

  const text = 'Chào anh, em là cán bộ An.\nAnh cần hỏi thủ tục nào ạ?';
  expect((await officialPost(`/admin/inbox/${id}/reply`, { text, nonce: crypto.randomUUID() })).status).toBe(303);
  const official = chat.locator('#log .msg.bot.official');
  await official.waitFor();
  expect(await official.innerText()).toContain(i18n.t('admin-inbox.webchat.officialLabel'));
  expect(await official.innerText()).toContain('Anh cần hỏi thủ tục nào ạ?');
  // The official's own reply shows up on the console page too.
  await console.locator('#inbox-chat .bubble.official', { hasText: 'em là cán bộ An' }).waitFor();

  // A reload keeps the official's reply once (from the saved transcript), without fetching it again.
  await chat.reload();
  await chat.locator('#log .msg.bot.official').first().waitFor();
  await chat.waitForTimeout(1000);
  expect(await chat.locator('#log .msg.bot.official').count()).toBe(1);
  expect(chatProblems).toEqual([]);
  expect(consoleProblems).toEqual([]);
});
