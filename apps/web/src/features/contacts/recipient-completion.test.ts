// @vitest-environment jsdom
import { act, createElement, useState } from "react";
import { describe, expect, it } from "vitest";
import { reactInDom } from "@/test-support/react-dom";
import type { Address } from "@pismo/protocol/schemas";
import { RecipientField } from "../compose/recipient-field";
import { replacesTypedAddress } from "./recipient-completion";

// A recipient field as the compose window shows it, rendered by React in a DOM: what Enter and
// Tab take from the suggestions for what was typed.

const dom = reactInDom();

const jelena: Address = { name: "Jelena Marko", address: "j.marko@gmail.com" };

/** The field with `known` addresses to offer; returns its input and its value as it is now. */
function renderField(known: Address[]) {
  let value = "";
  function Owner() {
    const [text, setText] = useState("");
    value = text;
    return createElement(RecipientField, { label: "To", value: text, onChange: setText, suggestions: known });
  }
  const root = dom.mount(createElement(Owner));
  const input = document.querySelector("input")!;
  return { input, value: () => value, unmount: () => act(() => root.unmount()) };
}

/** Typing: the text the input now holds, as the browser tells React of it. */
function type(input: HTMLInputElement, text: string) {
  act(() => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(input, text);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

/** A key pressed in the field; whether the field kept it from the compose window (and the browser). */
function press(input: HTMLInputElement, key: string): boolean {
  const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true });
  act(() => {
    input.dispatchEvent(event);
  });
  return event.defaultPrevented;
}

const offered = () => [...document.querySelectorAll('[role="option"]')].map((o) => o.textContent);

describe("Enter and Tab in a recipient field", () => {
  it("keep an address typed whole rather than take another one offered first", () => {
    for (const key of ["Enter", "Tab"]) {
      const { input, value, unmount } = renderField([jelena]);
      type(input, "marko@gmail.com");
      expect(offered(), key).toEqual(["Jelena Marko <j.marko@gmail.com>"]);
      // Not kept from the compose window: there Enter confirms the address, Tab moves on.
      expect(press(input, key), key).toBe(false);
      expect(value(), key).toBe("marko@gmail.com");
      expect(offered(), key).toEqual([]);
      unmount();
    }
  });

  it("take the suggestion the arrow keys moved to, even for an address typed whole", () => {
    const { input, value } = renderField([{ name: "Ana Marko", address: "ana.marko@gmail.com" }, jelena]);
    type(input, "marko@gmail.com");
    expect(offered()).toEqual(["Ana Marko <ana.marko@gmail.com>", "Jelena Marko <j.marko@gmail.com>"]);
    press(input, "ArrowDown");
    expect(press(input, "Enter")).toBe(true);
    expect(value()).toBe("Jelena Marko <j.marko@gmail.com>, ");
  });

  it("complete an address still being typed to the contact it begins", () => {
    for (const key of ["Enter", "Tab"]) {
      const { input, value, unmount } = renderField([{ name: "Marko", address: "marko@gmail.com" }]);
      type(input, "marko@g");
      expect(offered(), key).toEqual(["Marko <marko@gmail.com>"]);
      expect(press(input, key), key).toBe(true);
      expect(value(), key).toBe("Marko <marko@gmail.com>, ");
      unmount();
    }
  });

  it("take the suggestion the pointer moved to, even for an address typed whole", () => {
    const { input, value } = renderField([{ name: "Ana Marko", address: "ana.marko@gmail.com" }, jelena]);
    type(input, "marko@gmail.com");
    const second = document.querySelectorAll('[role="option"]')[1]!;
    act(() => {
      second.dispatchEvent(new MouseEvent("mousemove", { bubbles: true }));
    });
    expect(press(input, "Enter")).toBe(true);
    expect(value()).toBe("Jelena Marko <j.marko@gmail.com>, ");
  });

  it("take the first suggestion for text that is not a whole address, as before", () => {
    const { input, value } = renderField([jelena]);
    type(input, "jel");
    expect(press(input, "Tab")).toBe(true);
    expect(value()).toBe("Jelena Marko <j.marko@gmail.com>, ");
  });

  it("take the contact of the very address typed, with its name", () => {
    const { input, value } = renderField([jelena, { name: "Marko Marković", address: "Marko@gmail.com" }]);
    type(input, "marko@gmail.com");
    expect(press(input, "Enter")).toBe(true);
    expect(value()).toBe("Marko Marković <Marko@gmail.com>, ");
  });
});

describe("replacesTypedAddress", () => {
  it("is true only for another address in place of a whole one", () => {
    const person = (address: string) => ({ kind: "person" as const, name: "X", address });
    expect(replacesTypedAddress("marko@gmail.com", person("j.marko@gmail.com"))).toBe(true);
    expect(replacesTypedAddress("Marko <marko@gmail.com>", person("j.marko@gmail.com"))).toBe(true);
    expect(replacesTypedAddress("MARKO@gmail.com", person("marko@gmail.com"))).toBe(false);
    expect(replacesTypedAddress("marko", person("j.marko@gmail.com"))).toBe(false);
    expect(replacesTypedAddress("marko@", person("marko@gmail.com"))).toBe(false);
    expect(replacesTypedAddress("marko@g", person("marko@gmail.com"))).toBe(false);
    expect(replacesTypedAddress("Marko@Gmail.co", person("marko@gmail.com"))).toBe(false);
    expect(replacesTypedAddress("marko@g", person("j.marko@gmail.com"))).toBe(true);
    expect(replacesTypedAddress("tim@x.rs", { kind: "group", name: "tim@x.rs", members: [] })).toBe(true);
  });
});
