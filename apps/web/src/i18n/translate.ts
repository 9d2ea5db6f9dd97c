/** A catalog: nested objects whose leaves are the strings, addressed by dotted keys. */
export interface CatalogTree {
  readonly [key: string]: string | CatalogTree;
}

/**
 * What a call may pass: a numeric `count` picks the plural form (and fills `{{count}}`; one
 * already formatted as a string only fills it, and `quantity` then picks the form),
 * `defaultValue` is said when the key is missing, every other field fills its `{{name}}`.
 */
export interface TOptions {
  readonly count?: number | string;
  readonly quantity?: number;
  readonly defaultValue?: string;
  readonly [name: string]: unknown;
}

export type TFunction = (key: string, options?: TOptions) => string;

function lookup(catalog: CatalogTree | undefined, key: string): string | undefined {
  let node: string | CatalogTree | undefined = catalog;
  for (const part of key.split(".")) {
    if (node === undefined || typeof node === "string") return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

const pluralRules = new Map<string, Intl.PluralRules>();

/** CLDR's plural category of `count` in `language`: English one/other, Serbian one/few/other. */
export function pluralCategory(language: string, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(language);
    pluralRules.set(language, rules);
  }
  return rules.select(count);
}

/**
 * Fills each `{{name}}` with its value. A placeholder whose name the call does not pass stays
 * as it is written; one passed as null or undefined becomes empty. Values are not escaped:
 * React escapes what it renders.
 */
export function interpolate(text: string, values: TOptions): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (placeholder, name: string) =>
    Object.hasOwn(values, name) ? String(values[name] ?? "") : placeholder,
  );
}

/**
 * The text of `key` in `catalog`. With a `count`, the plural form's key comes first (`key_zero`
 * for 0, then `key_one`, `key_few`, `key_other` by the language's rules), then `key` itself.
 * A missing key never shows blank: the call's `defaultValue`, else the key.
 */
export function translate(
  catalog: CatalogTree | undefined,
  language: string,
  key: string,
  options?: TOptions,
): string {
  const count = typeof options?.count === "number" ? options.count : options?.quantity;
  let text: string | undefined;
  if (typeof count === "number") {
    if (count === 0) text = lookup(catalog, `${key}_zero`);
    text ??= lookup(catalog, `${key}_${pluralCategory(language, count)}`);
  }
  text ??= lookup(catalog, key) ?? options?.defaultValue ?? key;
  return options ? interpolate(text, options) : text;
}
