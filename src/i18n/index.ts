/**
 * Every user-facing string lives in `locales/<lang>.json` (nested keys, `{name}` placeholders).
 * A missing key is a programming error caught by tests, so `t` throws rather than showing a raw key
 * to a citizen.
 */
import fs from 'node:fs';
import path from 'node:path';

export type Locale = 'vi' | 'en';
export const DEFAULT_LOCALE: Locale = 'vi';
type Tree = { [key: string]: string | string[] | Tree };
export type Params = Record<string, string | number>;

export interface Translator {
  /** The string at `key` (dot path) with `{param}` placeholders filled. */
  t(key: string, params?: Params, locale?: Locale): string;
  /** A list of strings at `key` (e.g. weekday names). */
  list(key: string, locale?: Locale): string[];
  /** A whole section, e.g. the web chat page's strings. */
  section(key: string, locale?: Locale): Record<string, string>;
  has(key: string, locale?: Locale): boolean;
}

function lookup(tree: Tree, key: string): Tree[string] | undefined {
  let node: Tree[string] | undefined = tree;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string' || Array.isArray(node)) return undefined;
    node = node[part];
  }
  return node;
}

function fill(template: string, params: Params | undefined, key: string): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = params?.[name];
    if (v === undefined) throw new Error(`i18n: missing parameter "${name}" for "${key}"`);
    return String(v);
  });
}

/**
 * A locale's strings: `<lang>.json` plus, for larger areas kept apart (the officials' console),
 * each `<lang>/<section>.json` as the section `<section>`.
 */
export function loadLocaleTree(dir: string, locale: Locale): Tree {
  const tree = JSON.parse(fs.readFileSync(path.join(dir, `${locale}.json`), 'utf8')) as Tree;
  const sectionDir = path.join(dir, locale);
  if (fs.existsSync(sectionDir)) {
    for (const file of fs.readdirSync(sectionDir).filter((f) => f.endsWith('.json')).sort()) {
      const section = file.slice(0, -'.json'.length);
      if (section in tree) throw new Error(`i18n: section "${section}" is defined twice (${locale}.json and ${locale}/${file})`);
      tree[section] = JSON.parse(fs.readFileSync(path.join(sectionDir, file), 'utf8')) as Tree;
    }
  }
  return tree;
}

/** Loads the `vi` and `en` strings from `dir`. */
export function loadTranslator(dir: string): Translator {
  const trees: Record<Locale, Tree> = { vi: loadLocaleTree(dir, 'vi'), en: loadLocaleTree(dir, 'en') };
  const get = (key: string, locale: Locale) => {
    const v = lookup(trees[locale], key) ?? lookup(trees[DEFAULT_LOCALE], key);
    if (v === undefined) throw new Error(`i18n: no string for "${key}"`);
    return v;
  };
  return {
    t(key, params, locale = DEFAULT_LOCALE) {
      const v = get(key, locale);
      if (typeof v !== 'string') throw new Error(`i18n: "${key}" is not a string`);
      return fill(v, params, key);
    },
    list(key, locale = DEFAULT_LOCALE) {
      const v = get(key, locale);
      if (!Array.isArray(v)) throw new Error(`i18n: "${key}" is not a list`);
      return v;
    },
    section(key, locale = DEFAULT_LOCALE) {
      const v = get(key, locale);
      if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`i18n: "${key}" is not a section`);
      return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
    },
    has(key, locale = DEFAULT_LOCALE) {
      return lookup(trees[locale], key) !== undefined;
    },
  };
}

/** Every leaf key of a locale file, for the test that keeps vi and en in step. */
export function leafKeys(tree: unknown, prefix = ''): string[] {
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}
