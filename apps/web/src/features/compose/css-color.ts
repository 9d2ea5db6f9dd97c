// Colour arithmetic for judging whether quoted text can be seen (quote-legibility.ts): painting
// a translucent colour over another, and WCAG's contrast ratio. Reading a colour from CSS or from
// a legacy attribute is the protocol's (@pismo/protocol/html: parseCssColor, parseLegacyColor),
// which the HTML policy reads colours with too.

import type { Rgba } from "@pismo/protocol/html";

/** `top` painted over an opaque `bottom` (source-over): opaque. */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const mix = (t: number, b: number): number => t * top.a + b * (1 - top.a);
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 };
}

// WCAG 2.2, "relative luminance".
function luminance({ r, g, b }: Rgba): number {
  const linear = (channel: number): number => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2.2 contrast ratio of two opaque colours: 1 (the same) to 21 (black on white). */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}
