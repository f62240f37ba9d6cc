/**
 * Finds the line on which each element of a JSON array starts, so an import can say "line 42"
 * for a bad procedure rather than "item 7". A small scanner instead of a parser: it only tracks
 * strings and nesting, and JSON.parse has already checked the syntax.
 */

/**
 * Start lines (1-based) of the elements of the array at the root of `text`, or of the array under
 * the root object's `key` when the root is an object.
 */
export function arrayElementLines(text: string, key: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let stringStart = -1;
  let lastKey = '';
  let targetDepth = -1; // depth of the target array's elements, once found
  let expectElement = false;

  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\n') line += 1;
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') {
        inString = false;
        if (depth === 1) lastKey = text.slice(stringStart + 1, i);
      }
      continue;
    }
    if (ch === '"') {
      if (expectElement && depth === targetDepth) {
        lines.push(line);
        expectElement = false;
      }
      inString = true;
      stringStart = i;
      continue;
    }
    if (ch === '[' || ch === '{') {
      if (expectElement && depth === targetDepth) {
        lines.push(line);
        expectElement = false;
      }
      depth += 1;
      const isTarget = ch === '[' && targetDepth === -1 && (depth === 1 ? i === firstNonSpace(text) : depth === 2 && lastKey === key);
      if (isTarget) {
        targetDepth = depth;
        expectElement = true;
      }
      continue;
    }
    if (ch === ']' || ch === '}') {
      if (ch === ']' && depth === targetDepth) return lines; // the target array is complete
      depth -= 1;
      continue;
    }
    if (ch === ',' && depth === targetDepth) expectElement = true;
    else if (expectElement && depth === targetDepth && /\S/.test(ch ?? '')) {
      lines.push(line); // a number, true/false/null element
      expectElement = false;
    }
  }
  return lines;
}

function firstNonSpace(text: string): number {
  const m = /\S/.exec(text.replace(/^\uFEFF/, ' '));
  return m ? m.index : -1;
}
