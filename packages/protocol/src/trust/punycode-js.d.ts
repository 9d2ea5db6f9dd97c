// punycode.js (the npm package of Mathias Bynens' RFC 3492 converter, published under this
// name so it never resolves to Node's deprecated built-in `punycode`) ships no types.
declare module "punycode.js" {
  interface Punycode {
    toASCII(domain: string): string;
    toUnicode(domain: string): string;
  }
  const punycode: Punycode;
  // The package is CommonJS (module.exports = punycode): Node's ESM loader offers it only as the default export.
  // eslint-disable-next-line no-restricted-syntax
  export default punycode;
}
