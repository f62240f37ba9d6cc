import { MAX_CS_TEXT, renderCsMessages, splitCsText } from '../../../src/channels/zalo';

describe('splitCsText', () => {
  it('leaves text that fits alone (NFC-normalised)', () => {
    const decomposed = 'Giấy khai sinh'.normalize('NFD');
    expect(splitCsText(decomposed)).toEqual(['Giấy khai sinh'.normalize('NFC')]);
  });

  it('cuts long text at paragraph boundaries, every piece ≤ 2,000 characters, nothing lost', () => {
    const para = (n: number) => `Đoạn ${n}: ${'Hồ sơ gồm tờ khai và giấy tờ tùy thân. '.repeat(20).trim()}`;
    const text = Array.from({ length: 6 }, (_, i) => para(i + 1)).join('\n\n');
    expect(text.length).toBeGreaterThan(MAX_CS_TEXT);
    const pieces = splitCsText(text);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(MAX_CS_TEXT);
    expect(pieces.join('\n\n')).toBe(text);
    for (const p of pieces) expect(p.startsWith('Đoạn')).toBe(true);
  });

  it('falls back to lines, then words, for a paragraph or line that is itself too long', () => {
    const lines = Array.from({ length: 80 }, (_, i) => `${i + 1}. Bản sao có chứng thực giấy tờ số ${i + 1}`).join('\n');
    for (const p of splitCsText(lines, 500)) expect(p.length).toBeLessThanOrEqual(500);
    expect(splitCsText(lines, 500).join('\n')).toBe(lines);
    const oneLine = 'từ '.repeat(400).trim();
    const words = splitCsText(oneLine, 300);
    for (const p of words) expect(p.length).toBeLessThanOrEqual(300);
    expect(words.join(' ')).toBe(oneLine);
  });
});

describe('renderCsMessages', () => {
  it('puts buttons then quick replies as native Zalo buttons on the last text piece', () => {
    const messages = renderCsMessages({
      text: 'Bạn muốn hỏi gì về đăng ký khai sinh?',
      buttons: [{ title: 'Nộp trực tuyến', url: 'https://dichvucong.gov.vn/khai-sinh' }],
      quickReplies: [
        { title: 'Hồ sơ', payload: 'PROC:khai-sinh:documents' },
        { title: 'Lệ phí', payload: 'PROC:khai-sinh:fee' },
      ],
    });
    expect(messages).toEqual([
      {
        text: 'Bạn muốn hỏi gì về đăng ký khai sinh?',
        attachment: {
          type: 'template',
          payload: {
            buttons: [
              { title: 'Nộp trực tuyến', type: 'oa.open.url', payload: { url: 'https://dichvucong.gov.vn/khai-sinh' } },
              { title: 'Hồ sơ', type: 'oa.query.hide', payload: '#PROC:khai-sinh:documents' },
              { title: 'Lệ phí', type: 'oa.query.hide', payload: '#PROC:khai-sinh:fee' },
            ],
          },
        },
      },
    ]);
  });

  it('sends more than five options over follow-up messages, none lost', () => {
    const quickReplies = Array.from({ length: 7 }, (_, i) => ({ title: `Mục ${i + 1}`, payload: `P:${i + 1}` }));
    const messages = renderCsMessages({ text: 'Chọn một mục', quickReplies });
    expect(messages).toHaveLength(2);
    expect(messages[0]?.attachment?.payload.buttons).toHaveLength(5);
    expect(messages[1]?.text).toBe('…');
    expect(messages[1]?.attachment?.payload.buttons.map((b) => b.title)).toEqual(['Mục 6', 'Mục 7']);
  });

  it('reports an option whose payload would exceed Zalo’s 1,000 characters instead of sending it', () => {
    const dropped: string[] = [];
    const messages = renderCsMessages({ text: 'x', quickReplies: [{ title: 'Dài', payload: 'p'.repeat(1000) }, { title: 'Ngắn', payload: 'ok' }] }, (t) => dropped.push(t));
    expect(dropped).toEqual(['Dài']);
    expect(messages[0]?.attachment?.payload.buttons).toEqual([{ title: 'Ngắn', type: 'oa.query.hide', payload: '#ok' }]);
  });

  it('sends plain text without an attachment when there are no options', () => {
    expect(renderCsMessages({ text: 'Cảm ơn bạn' })).toEqual([{ text: 'Cảm ơn bạn' }]);
  });
});
