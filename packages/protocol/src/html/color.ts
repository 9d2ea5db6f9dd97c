// CSS colours as the browser reads them: the colour syntaxes the compose profile lets through
// (filterComposeStyle in css.ts: hex, named and system colours, rgb() and hsl()) and HTML's
// legacy colour attributes (<font color>, bgcolor). The policy reads a text colour's alpha here,
// and the web app judges whether quoted text can be seen against its background, so both read a
// colour the same way. These few grammars are small, so no colour library is a dependency. A
// value this module cannot read is null; a caller treats it as unknown, never as some colour.

/** sRGB channels 0-255, alpha 0-1. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

// CSS Color 4, 6.1: the named colours (the same 148 as HTML's legacy colour parser uses).
const NAMED = new Map(
  (
    "aliceblue f0f8ff antiquewhite faebd7 aqua 00ffff aquamarine 7fffd4 azure f0ffff beige f5f5dc " +
    "bisque ffe4c4 black 000000 blanchedalmond ffebcd blue 0000ff blueviolet 8a2be2 brown a52a2a " +
    "burlywood deb887 cadetblue 5f9ea0 chartreuse 7fff00 chocolate d2691e coral ff7f50 " +
    "cornflowerblue 6495ed cornsilk fff8dc crimson dc143c cyan 00ffff darkblue 00008b " +
    "darkcyan 008b8b darkgoldenrod b8860b darkgray a9a9a9 darkgreen 006400 darkgrey a9a9a9 " +
    "darkkhaki bdb76b darkmagenta 8b008b darkolivegreen 556b2f darkorange ff8c00 " +
    "darkorchid 9932cc darkred 8b0000 darksalmon e9967a darkseagreen 8fbc8f darkslateblue 483d8b " +
    "darkslategray 2f4f4f darkslategrey 2f4f4f darkturquoise 00ced1 darkviolet 9400d3 " +
    "deeppink ff1493 deepskyblue 00bfff dimgray 696969 dimgrey 696969 dodgerblue 1e90ff " +
    "firebrick b22222 floralwhite fffaf0 forestgreen 228b22 fuchsia ff00ff gainsboro dcdcdc " +
    "ghostwhite f8f8ff gold ffd700 goldenrod daa520 gray 808080 green 008000 greenyellow adff2f " +
    "grey 808080 honeydew f0fff0 hotpink ff69b4 indianred cd5c5c indigo 4b0082 ivory fffff0 " +
    "khaki f0e68c lavender e6e6fa lavenderblush fff0f5 lawngreen 7cfc00 lemonchiffon fffacd " +
    "lightblue add8e6 lightcoral f08080 lightcyan e0ffff lightgoldenrodyellow fafad2 " +
    "lightgray d3d3d3 lightgreen 90ee90 lightgrey d3d3d3 lightpink ffb6c1 lightsalmon ffa07a " +
    "lightseagreen 20b2aa lightskyblue 87cefa lightslategray 778899 lightslategrey 778899 " +
    "lightsteelblue b0c4de lightyellow ffffe0 lime 00ff00 limegreen 32cd32 linen faf0e6 " +
    "magenta ff00ff maroon 800000 mediumaquamarine 66cdaa mediumblue 0000cd mediumorchid ba55d3 " +
    "mediumpurple 9370db mediumseagreen 3cb371 mediumslateblue 7b68ee mediumspringgreen 00fa9a " +
    "mediumturquoise 48d1cc mediumvioletred c71585 midnightblue 191970 mintcream f5fffa " +
    "mistyrose ffe4e1 moccasin ffe4b5 navajowhite ffdead navy 000080 oldlace fdf5e6 olive 808000 " +
    "olivedrab 6b8e23 orange ffa500 orangered ff4500 orchid da70d6 palegoldenrod eee8aa " +
    "palegreen 98fb98 paleturquoise afeeee palevioletred db7093 papayawhip ffefd5 " +
    "peachpuff ffdab9 peru cd853f pink ffc0cb plum dda0dd powderblue b0e0e6 purple 800080 " +
    "rebeccapurple 663399 red ff0000 rosybrown bc8f8f royalblue 4169e1 saddlebrown 8b4513 " +
    "salmon fa8072 sandybrown f4a460 seagreen 2e8b57 seashell fff5ee sienna a0522d silver c0c0c0 " +
    "skyblue 87ceeb slateblue 6a5acd slategray 708090 slategrey 708090 snow fffafa " +
    "springgreen 00ff7f steelblue 4682b4 tan d2b48c teal 008080 thistle d8bfd8 tomato ff6347 " +
    "turquoise 40e0d0 violet ee82ee wheat f5deb3 white ffffff whitesmoke f5f5f5 yellow ffff00 " +
    "yellowgreen 9acd32 "
  )
    .trim()
    .split(" ")
    .flatMap((word, i, words) => (i % 2 === 0 ? [[word, words[i + 1] ?? ""] as const] : [])),
);

function fromHex(hex: string): Rgba | null {
  if (!/^[0-9a-f]+$/i.test(hex)) return null;
  const short = hex.length === 3 || hex.length === 4;
  if (!short && hex.length !== 6 && hex.length !== 8) return null;
  const width = short ? 1 : 2;
  const channel = (i: number): number => {
    const digits = hex.slice(i * width, (i + 1) * width);
    return Number.parseInt(short ? digits + digits : digits, 16);
  };
  const a = hex.length === 4 || hex.length === 8 ? channel(3) / 255 : 1;
  return { r: channel(0), g: channel(1), b: channel(2), a };
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?/i;

type Token =
  { kind: "number" | "percent"; value: number } | { kind: "angle"; value: number } | { kind: "none" };

// Angle units to degrees (CSS Values 4, 7.1).
const DEGREES: Record<string, number> = { deg: 1, grad: 0.9, rad: 180 / Math.PI, turn: 360 };

function token(text: string): Token | null {
  if (text === "none") return { kind: "none" };
  const match = NUMBER.exec(text);
  if (!match) return null;
  const value = Number(match[0]);
  const unit = text.slice(match[0].length);
  if (unit === "") return { kind: "number", value };
  if (unit === "%") return { kind: "percent", value };
  const degrees = Object.hasOwn(DEGREES, unit) ? DEGREES[unit] : undefined;
  return degrees === undefined ? null : { kind: "angle", value: value * degrees };
}

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/** The arguments of rgb() or hsl(): three channels and an optional alpha, in the legacy
 * (commas, no `none`) or the modern (spaces, "/ alpha") syntax (CSS Color 4, 5.1 and 7.1). */
function argumentsOf(args: string): { channels: Token[]; alpha: Token | null; legacy: boolean } | null {
  const text = args.trim();
  const legacy = text.includes(",");
  let parts: string[];
  let alphaText: string | undefined;
  if (legacy) {
    parts = text.split(",").map((part) => part.trim());
    if (parts.length === 4) alphaText = parts.pop();
  } else {
    const [main = "", alpha, ...rest] = text.split("/");
    if (rest.length > 0) return null;
    parts = main.trim().split(" ");
    alphaText = alpha?.trim();
  }
  if (parts.length !== 3) return null;
  const channels = parts.map(token);
  const alpha = alphaText === undefined ? null : token(alphaText);
  if (channels.some((t) => t === null) || (alphaText !== undefined && alpha === null)) return null;
  if (legacy && [...channels, alpha].some((t) => t?.kind === "none")) return null;
  return { channels: channels as Token[], alpha, legacy };
}

function alphaOf(alpha: Token | null): number | null {
  if (alpha === null) return 1;
  if (alpha.kind === "none") return 0;
  if (alpha.kind === "number") return clamp(alpha.value, 0, 1);
  if (alpha.kind === "percent") return clamp(alpha.value / 100, 0, 1);
  return null;
}

function rgb(args: string): Rgba | null {
  const parsed = argumentsOf(args);
  if (!parsed) return null;
  const { channels, legacy } = parsed;
  // The legacy syntax takes three numbers or three percentages, not a mix.
  if (legacy && new Set(channels.map((t) => t.kind)).size > 1) return null;
  const values = channels.map((t) =>
    t.kind === "number" ? t.value : t.kind === "percent" ? t.value * 2.55 : t.kind === "none" ? 0 : NaN,
  );
  const a = alphaOf(parsed.alpha);
  if (a === null || values.some(Number.isNaN)) return null;
  const [r = 0, g = 0, b = 0] = values.map((v) => clamp(v, 0, 255));
  return { r, g, b, a };
}

function hsl(args: string): Rgba | null {
  const parsed = argumentsOf(args);
  if (!parsed) return null;
  const [hue, saturation, lightness] = parsed.channels;
  if (!hue || !saturation || !lightness || hue.kind === "percent") return null;
  // Saturation and lightness are percentages; the modern syntax also takes plain numbers.
  const percent = (t: Token): number =>
    t.kind === "none" ? 0 : t.kind === "percent" || (!parsed.legacy && t.kind === "number") ? t.value : NaN;
  const h = (((hue.kind === "none" ? 0 : hue.value) % 360) + 360) % 360;
  const s = clamp(percent(saturation), 0, 100) / 100;
  const l = clamp(percent(lightness), 0, 100) / 100;
  const a = alphaOf(parsed.alpha);
  if (a === null || Number.isNaN(s) || Number.isNaN(l)) return null;
  // CSS Color 4, 7.1 (hslToRgb).
  const f = (n: number): number => {
    const k = (n + h / 30) % 12;
    return 255 * (l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
  };
  return { r: f(0), g: f(8), b: f(4), a };
}

/**
 * CSS's system colours (CSS Color 4 section 6.2, and the deprecated ones Outlook still writes:
 * `color: windowtext` on most of its quotes) as a light page shows them, which is what a
 * reply is judged against (the web app's quote-legibility.ts).
 */
const SYSTEM: ReadonlyMap<string, string> = new Map([
  ["canvas", "ffffff"],
  ["window", "ffffff"],
  ["field", "ffffff"],
  ["buttonface", "f0f0f0"],
  ["buttonhighlight", "ffffff"],
  ["canvastext", "000000"],
  ["windowtext", "000000"],
  ["fieldtext", "000000"],
  ["buttontext", "000000"],
  ["captiontext", "000000"],
  ["infotext", "000000"],
  ["menutext", "000000"],
  ["marktext", "000000"],
  ["mark", "ffff00"],
  ["graytext", "6d6d6d"],
  ["linktext", "0000ee"],
  ["visitedtext", "551a8b"],
  ["activetext", "ff0000"],
  ["highlight", "3390ff"],
  ["highlighttext", "ffffff"],
]);

/**
 * A CSS <color> value: hex, a named colour, `transparent`, a system colour (as a light page shows
 * it), rgb()/rgba(), hsl()/hsla(). Null for anything else: currentcolor and keywords such as
 * inherit (which name another element's colour), relative colours ("rgb(from red r g b)", known
 * only when painted), and syntax the browser would refuse.
 */
export function parseCssColor(value: string): Rgba | null {
  const text = value.trim().toLowerCase().replace(/\s+/g, " ");
  if (text.startsWith("#")) return fromHex(text.slice(1));
  if (text === "transparent") return { r: 0, g: 0, b: 0, a: 0 };
  const named = NAMED.get(text) ?? SYSTEM.get(text);
  if (named !== undefined) return fromHex(named);
  const call = /^(rgba?|hsla?)\((.*)\)$/.exec(text);
  if (!call) return null;
  return call[1]?.startsWith("rgb") ? rgb(call[2] ?? "") : hsl(call[2] ?? "");
}

/**
 * HTML's "rules for parsing a legacy colour value" (HTML 2.3.6), which <font color> and
 * bgcolor use: it reads almost any string as some colour ("ffffff" and "#fffff" are white,
 * "chucknorris" is red). Null where the browser ignores the attribute.
 */
export function parseLegacyColor(value: string): Rgba | null {
  const text = value.trim();
  if (text === "" || text.toLowerCase() === "transparent") return null;
  const named = NAMED.get(text.toLowerCase());
  if (named !== undefined) return fromHex(named);
  if (/^#[0-9a-f]{3}$/i.test(text)) return fromHex(text.slice(1));
  let digits = Array.from(text, (c) => ((c.codePointAt(0) ?? 0) > 0xffff ? "00" : c))
    .join("")
    .slice(0, 128)
    .replace(/^#/, "")
    .replace(/[^0-9a-f]/gi, "0");
  while (digits.length === 0 || digits.length % 3 !== 0) digits += "0";
  let width = digits.length / 3;
  let parts = [0, 1, 2].map((i) => digits.slice(i * width, (i + 1) * width));
  if (width > 8) {
    parts = parts.map((part) => part.slice(-8));
    width = 8;
  }
  for (; width > 2 && parts.every((part) => part.startsWith("0")); width--)
    parts = parts.map((part) => part.slice(1));
  const [r = 0, g = 0, b = 0] = parts.map((part) => Number.parseInt(part.slice(0, 2), 16));
  return { r, g, b, a: 1 };
}
