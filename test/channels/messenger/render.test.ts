import { fitTitle, renderReply, splitTail, splitText, type GraphMessage } from '../../../src/channels/messenger';

/** A procedure-style answer: numbered lines of varying length. */
function documentList(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `${i + 1}. Bản sao giấy tờ số ${i + 1}: tờ khai, giấy chứng nhận, chứng minh nhân dân hoặc căn cước (bản chính để đối chiếu).`).join('\n');
}

const isTemplate = (m: GraphMessage): m is Extract<GraphMessage, { attachment: unknown }> => 'attachment' in m;

describe('splitText', () => {
  it('keeps short text whole', () => {
    expect(splitText('Xin chào', 2000)).toEqual(['Xin chào']);
  });

  it('splits long text at line boundaries, every piece within the limit, no line lost or cut', () => {
    const text = documentList(60);
    const pieces = splitText(text, 2000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(2000);
    expect(pieces.join('\n')).toBe(text);
  });

  it('falls back to spaces, then to grapheme boundaries, never splitting a letter from its tone mark', () => {
    // "x́" has no precomposed form, so NFC keeps it as two code units that must stay together.
    const marked = 'x\u0301'.repeat(10);
    const markedPieces = splitText(marked, 7);
    for (const p of markedPieces) {
      expect(p.length).toBeLessThanOrEqual(7);
      expect(p).toMatch(/^(x\u0301)+$/u);
    }
    expect(markedPieces.join('')).toBe(marked);
    const emoji = '👍'.repeat(10);
    const pieces = splitText(emoji, 5);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(5);
      expect(p).toMatch(/^(👍)+$/u);
    }
    expect(pieces.join('')).toBe(emoji);
    expect(splitText('một hai ba bốn năm sáu bảy', 10).every((p) => p.length <= 10 && p === p.trim())).toBe(true);
  });
});

describe('splitTail', () => {
  it('returns the longest tail within the limit that starts on a new line', () => {
    const text = documentList(12);
    const { head, tail } = splitTail(text, 640);
    expect(tail.length).toBeLessThanOrEqual(640);
    expect(tail.length).toBeGreaterThan(320);
    expect(tail).toMatch(/^\d+\. /);
    expect(`${head}\n${tail}`).toBe(text);
  });

  it('keeps text that fits whole, with an empty head', () => {
    expect(splitTail('Ngắn thôi', 640)).toEqual({ head: '', tail: 'Ngắn thôi' });
  });
});

describe('fitTitle', () => {
  it('leaves short titles alone and shortens long ones to 20 with an ellipsis', () => {
    expect(fitTitle('Lệ phí')).toBe('Lệ phí');
    const t = fitTitle('Giấy chứng nhận đủ điều kiện an toàn thực phẩm');
    expect(t.length).toBeLessThanOrEqual(20);
    expect(t.endsWith('…')).toBe(true);
  });

  it('never cuts a title inside a grapheme', () => {
    const t = fitTitle('x\u0301'.repeat(15)); // 30 code units, pairs that NFC cannot compose
    expect(t.length).toBeLessThanOrEqual(20);
    expect(t).toMatch(/^(x\u0301)+…$/u);
  });

  it('normalises to NFC first, so a decomposed title that fits is not cut', () => {
    const nfd = 'Lý lịch tư pháp số 1'.normalize('NFD');
    expect(nfd.length).toBeGreaterThan(20);
    expect(fitTitle(nfd)).toBe('Lý lịch tư pháp số 1'.normalize('NFC'));
  });
});

describe('renderReply', () => {
  it('renders plain text as one text message', () => {
    expect(renderReply({ text: 'Xin chào' })).toEqual([{ text: 'Xin chào' }]);
  });

  it('attaches at most 13 quick replies, titles shortened, to the last message', () => {
    const quickReplies = Array.from({ length: 15 }, (_, i) => ({ title: `Thủ tục hành chính số ${i + 1}`, payload: `PROC:p${i}` }));
    const degraded: string[] = [];
    const out = renderReply({ text: documentList(40), quickReplies }, { onDegrade: (w) => degraded.push(w) });
    expect(out.length).toBeGreaterThan(1);
    expect(out.slice(0, -1).every((m) => m.quick_replies === undefined)).toBe(true);
    const qr = out[out.length - 1]?.quick_replies ?? [];
    expect(qr).toHaveLength(13);
    expect(qr.every((q) => q.content_type === 'text' && q.title.length <= 20)).toBe(true);
    expect(qr[12]?.payload).toBe('PROC:p12');
    expect(degraded).toHaveLength(1);
  });

  it('renders up to three buttons as one button template (postback for payloads, web_url for links)', () => {
    const out = renderReply({
      text: 'Bạn muốn làm gì tiếp?',
      buttons: [
        { title: 'Nộp hồ sơ trực tuyến trên cổng dịch vụ công', url: 'https://dichvucong.gov.vn/' },
        { title: 'Gặp cán bộ', payload: 'HANDOFF' },
      ],
    });
    expect(out).toEqual([
      {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'button',
            text: 'Bạn muốn làm gì tiếp?',
            buttons: [
              { type: 'web_url', title: expect.stringMatching(/^.{1,19}…$/u), url: 'https://dichvucong.gov.vn/' },
              { type: 'postback', title: 'Gặp cán bộ', payload: 'HANDOFF' },
            ],
          },
        },
      },
    ]);
  });

  it('continues more than three buttons in further templates of three', () => {
    const buttons = Array.from({ length: 7 }, (_, i) => ({ title: `Mục ${i + 1}`, payload: `MENU:${i}` }));
    const out = renderReply({ text: 'Chọn một mục', buttons }, { continuationText: 'Thêm lựa chọn' });
    expect(out.every(isTemplate)).toBe(true);
    const templates = out.filter(isTemplate).map((m) => m.attachment.payload);
    expect(templates.map((t) => t.buttons.length)).toEqual([3, 3, 1]);
    expect(templates.map((t) => t.text)).toEqual(['Chọn một mục', 'Thêm lựa chọn', 'Thêm lựa chọn']);
  });

  it('sends long text before the template and gives the template the last ≤ 640 characters, cut at a line', () => {
    const text = documentList(30);
    const out = renderReply({ text, buttons: [{ title: 'Gặp cán bộ', payload: 'HANDOFF' }] });
    const last = out[out.length - 1]!;
    expect(isTemplate(last)).toBe(true);
    const tail = isTemplate(last) ? last.attachment.payload.text : '';
    expect(tail.length).toBeLessThanOrEqual(640);
    const texts = out.slice(0, -1).map((m) => ('text' in m ? m.text : ''));
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(2000);
    expect([...texts, tail].join('\n')).toBe(text);
  });

  it('refuses a reply with nothing to show', () => {
    expect(() => renderReply({ text: '   ' })).toThrow(/no text/);
  });
});
