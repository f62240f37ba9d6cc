/** The Vietnamese tokenizer, and that nlp.js really uses our plugins for locale `vi`. */
import { containerBootstrap } from '@nlpjs/core';
import { Nlp } from '@nlpjs/nlp';
import { registerVietnamese, tokenizeVietnamese, TokenizerVi } from '../../src/nlu/vietnamese/nlpjs-plugins';

describe('tokenizeVietnamese', () => {
  it('emits syllables, neighbouring pairs and the two edges', () => {
    expect(tokenizeVietnamese('le phi giay to')).toEqual([
      'le', 'phi', 'giay', 'to',
      'le_phi', 'phi_giay', 'giay_to',
      'bos_le', 'to_eos',
    ]);
  });

  it('handles one syllable, extra spaces and empty text', () => {
    expect(tokenizeVietnamese('  chao  ')).toEqual(['chao', 'bos_chao', 'chao_eos']);
    expect(tokenizeVietnamese('')).toEqual([]);
  });

  it('is what the nlp.js plugin returns', () => {
    expect(new TokenizerVi().tokenize('giay to')).toEqual(tokenizeVietnamese('giay to'));
  });
});

describe('nlp.js with the vi plugins', () => {
  it('runs our normalizer and tokenizer through the container for locale vi', async () => {
    const container = containerBootstrap();
    registerVietnamese(container);
    const normalize = container.get('normalize') as { run(i: object): { text: string } };
    const tokenize = container.get('tokenize') as { run(i: object): Promise<{ tokens: string[] }> };
    const normalized = normalize.run({ locale: 'vi', text: 'Đk ở đâu?' });
    expect(normalized.text).toBe('dang ki o dau');
    const tokenized = await tokenize.run({ locale: 'vi', text: normalized.text });
    expect(tokenized.tokens).toContain('dang_ki');
    expect(tokenized.tokens).toContain('o_dau');
  });

  it('classifies chat-style text without diacritics from training text with them', async () => {
    const container = containerBootstrap();
    registerVietnamese(container);
    const nlp = new Nlp({ container, languages: ['vi'], autoSave: false, autoLoad: false, threshold: 0, nlu: { log: false } });
    nlp.addDocument('vi', 'đăng ký đâu', 'where');
    nlp.addDocument('vi', 'đi đâu', 'where');
    nlp.addDocument('vi', 'phí bao nhiêu', 'fee');
    nlp.addDocument('vi', 'tốn bao nhiêu tiền', 'fee');
    await nlp.train();
    // nlp.js's own normalizer keeps "đ" ("đâu" != "dau") and knows no short forms ("dk", "bn"):
    // without our plugins neither query shares a feature with the training text.
    expect((await nlp.process('vi', 'dk dau')).intent).toBe('where');
    expect((await nlp.process('vi', 'het bn')).intent).toBe('fee');
  });
});
