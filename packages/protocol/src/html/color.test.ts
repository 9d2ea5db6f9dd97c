// @vitest-environment node
// The one colour parser: the compose profile reads a text colour's alpha with it (css.ts), and
// the web app judges quoted text's contrast with it (quote-legibility.ts). What both rely on.

import { describe, expect, it } from "vitest";
import { parseCssColor, parseLegacyColor } from "./color";

const rgba = (r: number, g: number, b: number, a = 1) => ({ r, g, b, a });

describe("parseCssColor: hex", () => {
  it.each([
    ["#fff", rgba(255, 255, 255)],
    ["#0000", rgba(0, 0, 0, 0)],
    ["#0008", rgba(0, 0, 0, 0x88 / 255)],
    ["#1a2B3c", rgba(26, 43, 60)],
    ["#ffffff00", rgba(255, 255, 255, 0)],
    ["#00000033", rgba(0, 0, 0, 0.2)],
  ])("reads %s", (value, expected) => {
    expect(parseCssColor(value)).toEqual(expected);
  });

  it.each(["#", "#ff", "#12345", "#1234567", "#123456789", "#ggg", "fff"])("refuses %s", (value) => {
    expect(parseCssColor(value)).toBeNull();
  });
});

describe("parseCssColor: keywords", () => {
  it.each([
    ["red", rgba(255, 0, 0)],
    ["WhiteSmoke", rgba(245, 245, 245)],
    ["  Navy ", rgba(0, 0, 128)],
    ["rebeccapurple", rgba(102, 51, 153)],
    ["transparent", rgba(0, 0, 0, 0)],
    ["TRANSPARENT", rgba(0, 0, 0, 0)],
  ])("reads %s", (value, expected) => {
    expect(parseCssColor(value)).toEqual(expected);
  });

  // CSS Color 4, 6.2, and the deprecated ones Outlook writes ("color: windowtext" on its
  // quotes), as a light page shows them.
  it.each([
    ["windowtext", rgba(0, 0, 0)],
    ["WindowText", rgba(0, 0, 0)],
    ["CanvasText", rgba(0, 0, 0)],
    ["Canvas", rgba(255, 255, 255)],
    ["window", rgba(255, 255, 255)],
    ["buttonface", rgba(240, 240, 240)],
    ["graytext", rgba(109, 109, 109)],
    ["linktext", rgba(0, 0, 238)],
    ["mark", rgba(255, 255, 0)],
    ["highlighttext", rgba(255, 255, 255)],
  ])("reads the system colour %s", (value, expected) => {
    expect(parseCssColor(value)).toEqual(expected);
  });

  // They name another element's colour, or none: the caller decides what they mean.
  it.each(["currentcolor", "currentColor", "inherit", "initial", "unset", "revert", "none", "banana", ""])(
    "does not read %s as a colour",
    (value) => {
      expect(parseCssColor(value)).toBeNull();
    },
  );
});

describe("parseCssColor: rgb()", () => {
  it.each([
    ["rgb(255, 0, 0)", rgba(255, 0, 0)],
    ["rgba(0, 0, 255, 0.25)", rgba(0, 0, 255, 0.25)],
    ["rgba(0,0,0,50%)", rgba(0, 0, 0, 0.5)],
    ["RGB( 10 , 20 , 30 )", rgba(10, 20, 30)],
    ["rgb(100%, 0%, 50%)", { r: expect.closeTo(255), g: 0, b: expect.closeTo(127.5), a: 1 }],
    // The modern syntax: spaces, "/ alpha", percentages and numbers mixed, `none`.
    ["rgb(255 0 0)", rgba(255, 0, 0)],
    ["rgb(255 0 0 / 50%)", rgba(255, 0, 0, 0.5)],
    ["rgb(0 0 0/0.1)", rgba(0, 0, 0, 0.1)],
    ["rgba(1 2 3)", rgba(1, 2, 3)],
    ["rgb(100% 0 50%)", { r: expect.closeTo(255), g: 0, b: expect.closeTo(127.5), a: 1 }],
    ["rgb(none 0 0 / none)", rgba(0, 0, 0, 0)],
    ["rgb(1e2 0 0 / .5)", rgba(100, 0, 0, 0.5)],
    ["rgb(0\t0\n0)", rgba(0, 0, 0)],
    // Out of range: clamped, as the browser does.
    ["rgb(300 -5 0 / 2)", rgba(255, 0, 0, 1)],
    ["rgb(0 0 0 / -1)", rgba(0, 0, 0, 0)],
    ["rgb(0 0 0 / 150%)", rgba(0, 0, 0, 1)],
  ])("reads %s", (value, expected) => {
    expect(parseCssColor(value)).toEqual(expected);
  });

  it.each([
    ["numbers and percentages mixed, legacy", "rgb(255, 0%, 0)"],
    ["none, legacy", "rgb(none, 0, 0)"],
    ["two channels", "rgb(1 2)"],
    ["five values", "rgb(1, 2, 3, 4, 5)"],
    ["two slashes", "rgb(0 0 0 / 0.5 / 1)"],
    ["a slash among commas", "rgb(0, 0, 0 / 0.1)"],
    ["an angle for a channel", "rgb(0deg 0 0)"],
    ["an angle for alpha", "rgb(0 0 0 / 0.5deg)"],
    ["a word", "rgb(x 0 0)"],
    ["empty", "rgb()"],
    ["a relative colour", "rgb(from red r g b)"],
    ["var()", "rgb(var(--x))"],
    ["an unclosed call", "rgb(0 0 0"],
    ["another function", "lab(50% 0 0)"],
  ])("refuses %s", (_name, value) => {
    expect(parseCssColor(value)).toBeNull();
  });
});

describe("parseCssColor: hsl()", () => {
  it.each([
    ["hsl(120deg 100% 25%)", rgba(0, 127.5, 0)],
    ["hsl(120 100% 25%)", rgba(0, 127.5, 0)],
    ["hsla(0.5turn, 100%, 50%, 1)", rgba(0, 255, 255)],
    ["hsl(200grad 100% 50%)", rgba(0, 255, 255)],
    ["hsl(-240 100% 50%)", rgba(0, 255, 0)],
    ["hsl(0, 0%, 0%, 0.0)", rgba(0, 0, 0, 0)],
    ["hsl(0 0% 0% / .05)", rgba(0, 0, 0, 0.05)],
    // The modern syntax also takes numbers for saturation and lightness.
    ["hsl(0 0 100)", rgba(255, 255, 255)],
    ["hsl(none 0% 100%)", rgba(255, 255, 255)],
  ])("reads %s", (value, expected) => {
    expect(parseCssColor(value)).toEqual(expected);
  });

  it("reads radians", () => {
    const colour = parseCssColor("hsl(3.14159265rad 100% 50%)");
    expect(colour?.r).toBeCloseTo(0);
    expect(colour?.g).toBeCloseTo(255);
    expect(colour?.b).toBeCloseTo(255);
  });

  it.each([
    ["a percentage hue", "hsl(10% 50% 50%)"],
    ["numbers for saturation, legacy", "hsl(0, 50, 50)"],
    ["none, legacy", "hsl(none, 50%, 50%)"],
    ["an unknown unit", "hsl(1px 50% 50%)"],
  ])("refuses %s", (_name, value) => {
    expect(parseCssColor(value)).toBeNull();
  });
});

describe("parseLegacyColor", () => {
  // HTML 2.3.6, as <font color> and bgcolor are read.
  it.each([
    ["ffffff", rgba(255, 255, 255)],
    ["#fffff", rgba(255, 255, 240)],
    ["#abc", rgba(170, 187, 204)],
    ["White", rgba(255, 255, 255)],
    ["chucknorris", rgba(192, 0, 0)],
    ["#ff000080", rgba(255, 0, 128)],
  ])("reads %s as the browser does", (value, expected) => {
    expect(parseLegacyColor(value)).toEqual(expected);
  });

  it.each(["", "  ", " transparent ", "Transparent"])("ignores %j, as the browser does", (value) => {
    expect(parseLegacyColor(value)).toBeNull();
  });
});
