import { arrayElementLines } from '../../src/procedures/json-lines';

describe('arrayElementLines', () => {
  it('finds the start line of each element under a key, ignoring brackets inside strings', () => {
    const text = [
      '{',
      '  "offices": [{"slug": "x"}],',
      '  "procedures": [',
      '    {"slug": "a", "name": "has [brackets] and {braces} and \\"quotes\\""},',
      '    {',
      '      "slug": "b"',
      '    },',
      '    "not an object"',
      '  ]',
      '}',
    ].join('\n');
    expect(arrayElementLines(text, 'procedures')).toEqual([4, 5, 8]);
    expect(arrayElementLines(text, 'offices')).toEqual([2]);
  });

  it('reads a root array', () => {
    expect(arrayElementLines('[\n  {"a": 1},\n\n  {"b": [1, 2]}\n]', 'procedures')).toEqual([2, 4]);
  });

  it('does not take a nested array with the same key for the top-level one', () => {
    const text = '{\n "x": {"procedures": [1]},\n "procedures": [\n  {}\n ]\n}';
    expect(arrayElementLines(text, 'procedures')).toEqual([4]);
  });
});
