import { describe, expect, it } from "vitest";
import { compileSieve, fitsSieve, readSieve, runsImap4flags, PISMO_SCRIPT_HEADER } from "./sieve";
import { parseSieve, tokenize, SieveSyntaxError } from "./sieve-syntax";
import { defaultVacation, ruleSetSchema, type RuleSetInput } from "./schema";

const invoice: RuleSetInput = {
  rules: [
    {
      id: "r1",
      name: "Invoices",
      enabled: true,
      match: "all",
      conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: "[INVOICE]" }],
      actions: [{ type: "move", folder: "Računi/2026" }],
    },
  ],
  vacation: defaultVacation,
};

const hostile = '"; discard; # \\ "\\\\ \u0000'.replace("\u0000", "");

const everything: RuleSetInput = {
  rules: [
    {
      id: "all-kinds",
      name: `Name with "quotes" and \\ backslash ${hostile}`,
      enabled: true,
      match: "any",
      conditions: [
        { kind: "text", field: "from", match: "is", not: false, value: hostile },
        { kind: "text", field: "to", match: "matches", not: true, value: "*@firma.rs" },
        { kind: "text", field: "header", header: "X-Spam-Flag", match: "contains", not: false, value: "YES" },
        { kind: "size", over: true, bytes: 1048576 },
        { kind: "size", over: false, bytes: 10 },
        { kind: "attachment", not: false },
        { kind: "attachment", not: true },
      ],
      // Out of order on purpose: the model keeps flags first, stop last.
      actions: [
        { type: "stop" },
        { type: "copy", folder: 'Arhiva/"x"\\y' },
        { type: "forward", address: "ana@primer.rs" },
        { type: "flag" },
        { type: "markRead" },
        { type: "move", folder: "Поште/Ђорђе" },
      ],
    },
    {
      id: "off",
      name: "",
      enabled: false,
      match: "all",
      conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: "spam" }],
      actions: [{ type: "discard" }],
    },
    {
      id: "rej",
      name: "Reject",
      enabled: true,
      match: "all",
      conditions: [{ kind: "text", field: "from", match: "contains", not: true, value: "x" }],
      actions: [{ type: "reject", message: 'Go away.\nLine two with "quotes" and \\ and\n.\n..' }],
    },
  ],
  vacation: {
    enabled: true,
    subject: 'Away "now" \\ ok',
    message: 'I am away.\n\n.\nBack on Monday; "; discard;',
    firstDay: "2026-01-01",
    lastDay: "2026-01-31",
    addresses: ["alice@pismo.test", "a.l@pismo.test"],
    days: 3,
  },
};

describe("compileSieve", () => {
  it("writes the rule the e2e test makes as plain, readable Sieve", () => {
    expect(compileSieve(invoice)).toBe(
      `${PISMO_SCRIPT_HEADER}
# Written by Pismo. Changed by hand, it is shown in Pismo as text.
require ["fileinto"];

# rule [r1] Invoices
if allof (header :contains "subject" "[INVOICE]") {
  fileinto "Računi/2026";
}
`,
    );
  });

  it("quotes hostile text so it stays a string (RFC 5228 2.4.2)", () => {
    const script = compileSieve(everything);
    expect(script).toContain('header :is "from" "\\"; discard; # \\\\ \\"\\\\\\\\ "');
    // Every discard in the script is the one rule that asks for it.
    const commands = parseSieve(script);
    const names = (cs: typeof commands): string[] => cs.flatMap((c) => [c.name, ...names(c.block ?? [])]);
    expect(names(commands).filter((n) => n === "discard")).toHaveLength(1);
    expect(script).toContain(
      'require ["copy", "date", "fileinto", "imap4flags", "mime", "reject", "relational", "vacation"];',
    );
    expect(script.indexOf("# vacation")).toBeLessThan(script.indexOf("# rule"));
  });

  it("does not answer out of office what an enabled rule refuses (RFC 5429: the two cannot both act)", () => {
    const script = compileSieve(everything);
    // Decided once, before the reply: the run ends at the first enabled rule with stop or a
    // refusal that matches (the earlier rule with stop takes a message first).
    const first = /^if (anyof \(.*\)) \{$/m.exec(script.slice(script.indexOf("# rule [all-kinds]")))![1]!;
    expect(script).toContain(
      `# refusal\nif ${first} {\n} elsif allof (not header :contains "from" "x") {\n  addflag "$PismoRefused";\n}\n\n# vacation\n`,
    );
    expect(script).toContain(
      `# vacation\nif allof (true, currentdate :value "ge" "date" "2026-01-01", currentdate :value "le" "date" "2026-01-31", not hasflag "$PismoRefused") {`,
    );
    const off = { ...everything, rules: everything.rules.map((r) => ({ ...r, enabled: false })) };
    expect(compileSieve(off)).not.toContain("Refused");
  });

  const rule = (id: string, subject: string, actions: RuleSetInput["rules"][number]["actions"]) => ({
    id,
    name: id,
    enabled: true,
    match: "all" as const,
    conditions: [
      {
        kind: "text" as const,
        field: "subject" as const,
        match: "contains" as const,
        not: false,
        value: subject,
      },
    ],
    actions,
  });

  // RFC 5429 section 2.1: Pigeonhole fails the script for a message one rule files or forwards
  // and another refuses, in either order, or two rules refuse.
  it("lets a refusal end the run and win over an earlier rule without stop that would file the message", () => {
    const set: RuleSetInput = {
      rules: [
        rule("news", "news", [{ type: "move", folder: "News" }, { type: "flag" }]),
        rule("flags", "a", [{ type: "markRead" }]),
        rule("boss", "boss", [{ type: "move", folder: "Boss" }, { type: "stop" }]),
        rule("spam", "spam", [{ type: "reject", message: "No." }]),
        rule("later", "b", [{ type: "forward", address: "ana@primer.rs" }]),
        rule("off", "c", [{ type: "reject", message: "Off." }]),
      ],
      vacation: defaultVacation,
    };
    set.rules[5]!.enabled = false;
    const script = compileSieve(set);
    // The boss rule ends the run before the spam rule can refuse: the message is not refused.
    expect(script).toContain(
      '# refusal\nif allof (header :contains "subject" "boss") {\n} elsif allof (header :contains "subject" "spam") {\n  addflag "$PismoRefused";\n}\n',
    );
    expect(script).toContain(
      `# rule [news] news\nif allof (allof (header :contains "subject" "news"), not hasflag "$PismoRefused") {\n  addflag "\\\\Flagged";\n  fileinto "News";\n}\n`,
    );
    // Flags alone do not conflict with a refusal; a rule with stop is never followed by one.
    expect(script).toContain('# rule [flags] flags\nif allof (header :contains "subject" "a") {');
    expect(script).toContain('# rule [boss] boss\nif allof (header :contains "subject" "boss") {');
    expect(script).toContain('  reject "No.";\n  stop;\n}\n');
    expect(script).toContain('# rule [later] later\nif allof (header :contains "subject" "b") {');
    expect(script).toContain(
      '# rule [off] off\nif allof (false, allof (header :contains "subject" "c")) {\n  reject "Off.";\n}\n',
    );
    expect(readSieve(script)).toEqual({ kind: "pismo", rules: ruleSetSchema.parse(set) });
    // A refusing rule's stop, chosen or not, is the same rule.
    const withStop = {
      ...set,
      rules: set.rules.map((r) =>
        r.id === "spam" ? { ...r, actions: [...r.actions, { type: "stop" as const }] } : r,
      ),
    };
    expect(compileSieve(withStop)).toBe(script);
  });

  it("for a server without imap4flags, guards each filing rule with the refusals after it instead, and reads it back", () => {
    const set: RuleSetInput = {
      rules: [
        rule("news", "news", [{ type: "move", folder: "News" }]),
        rule("spam", "spam", [{ type: "reject", message: "No." }]),
      ],
      vacation: { ...defaultVacation, enabled: true, message: "Away." },
    };
    const script = compileSieve(set, { imap4flags: false });
    expect(script).not.toMatch(/imap4flags|hasflag|addflag|# refusal/);
    expect(script).toContain(
      '# rule [news] news\nif allof (allof (header :contains "subject" "news"), not anyof (allof (header :contains "subject" "spam"))) {',
    );
    expect(readSieve(script)).toEqual({ kind: "pismo", rules: ruleSetSchema.parse(set) });
    expect(compileSieve(set)).toContain('require ["fileinto", "imap4flags", "reject", "vacation"];');
  });

  it("measures a set in the form the server gets: one that fits with imap4flags may not without", () => {
    const text = (i: number) => ({
      kind: "text" as const,
      field: "subject" as const,
      match: "contains" as const,
      not: false,
      value: `${i}-`.padEnd(200, "x"),
    });
    const make = (i: number, actions: RuleSetInput["rules"][number]["actions"]) => ({
      id: `r${i}`,
      name: `R${i}`,
      enabled: true,
      match: "any" as const,
      conditions: [text(i), text(i + 1000)],
      actions,
    });
    const rules = Array.from({ length: 90 }, (_, i) =>
      i < 30
        ? make(i, [{ type: "move", folder: "Arhiva" }])
        : i % 2 === 0
          ? make(i, [{ type: "flag" }, { type: "stop" }])
          : make(i, [{ type: "reject", message: "Ne." }]),
    );
    const set = ruleSetSchema.parse({ rules, vacation: defaultVacation });
    expect(fitsSieve(set)).toBe(true);
    expect(fitsSieve(set, { imap4flags: false })).toBe(false);
    expect(() => compileSieve(set, { imap4flags: false })).toThrow(/1 MiB/);
    expect(runsImap4flags(["fileinto", "imap4flags"])).toBe(true);
    expect(runsImap4flags(["fileinto", "reject"])).toBe(false);
    expect(runsImap4flags([])).toBe(true);
  });

  it("reads a script as Pismo wrote it before refusals were guarded, as Pismo's", () => {
    const v1 = `${PISMO_SCRIPT_HEADER}
# Written by Pismo. Changed by hand, it is shown in Pismo as text.
require ["fileinto", "reject", "vacation"];

# vacation
if allof (true, not anyof (allof (header :contains "subject" "spam"))) {
  vacation :days 7 "Away.";
}

# rule [news] news
if allof (header :contains "subject" "news") {
  fileinto "News";
}

# rule [boss] boss
if allof (header :contains "subject" "boss") {
  fileinto "Boss";
  stop;
}

# rule [spam] spam
if allof (header :contains "subject" "spam") {
  reject "No.";
}
`;
    const back = readSieve(v1);
    expect(back).toMatchObject({
      kind: "pismo",
      rules: {
        rules: [
          { id: "news", actions: [{ type: "move", folder: "News" }] },
          { id: "boss" },
          { id: "spam", actions: [{ type: "reject", message: "No." }] },
        ],
        vacation: { enabled: true, message: "Away." },
      },
    });
    if (back.kind === "pismo") expect(compileSieve(back.rules)).not.toBe(v1);
    expect(readSieve(v1.replace('fileinto "News"', 'fileinto "Other"')).kind).toBe("pismo");
    expect(readSieve(v1.replace("{\n  reject", "{\n  discard;\n  reject")).kind).toBe("foreign");
  });

  // A rule's test is written twice at most (in the rule, and once more in the refusal), however
  // many rules file, stop or refuse: never once per later rule, which made the script grow with
  // the cube of the rules (a 258 KB request gave 20 MB, built at once on the gateway).
  const many = (n: number, conditions = 10): RuleSetInput => {
    const made = (id: string, actions: RuleSetInput["rules"][number]["actions"]) => ({
      id,
      name: id,
      enabled: true,
      match: "any" as const,
      conditions: Array.from({ length: conditions }, (_, i) => ({
        kind: "text" as const,
        field: "subject" as const,
        match: "contains" as const,
        not: false,
        value: `${id} ${i} `.padEnd(500, "x"),
      })),
      actions,
    });
    const range = (prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    return {
      rules: [
        ...range("fwd").map((id) => made(id, [{ type: "forward", address: "ana@primer.rs" }])),
        ...range("stop").map((id) => made(id, [{ type: "flag" }, { type: "stop" }])),
        ...range("no").map((id) => made(id, [{ type: "reject", message: "No." }])),
      ],
      vacation: { ...defaultVacation, enabled: true, message: "Away." },
    };
  };

  it("writes a script that grows with the rules, not with their cube", () => {
    const set = many(15);
    const script = compileSieve(set);
    const tests = set.rules.reduce((sum, r) => sum + JSON.stringify(r.conditions).length, 0);
    expect(script.length).toBeLessThan(2 * tests);
    expect(readSieve(script)).toMatchObject({ kind: "pismo", rules: { rules: { length: 45 } } });
  });

  it("refuses rules whose script would be larger than a server takes, before building it", () => {
    const refused = (set: RuleSetInput) => {
      try {
        compileSieve(set);
        return null;
      } catch (error) {
        return error;
      }
    };
    // 250 rules that forward, of 10 conditions of 500 characters: 1.3 MB, however written.
    const forwards = { ...many(250), rules: many(250).rules.slice(0, 250) };
    expect(refused(forwards)).toMatchObject({ code: "BAD_INPUT", message: expect.stringMatching(/1 MiB/) });
    expect(refused(many(50))).toMatchObject({ code: "BAD_INPUT" });
    // Large, but less: 240 rules of 4 such conditions make some 850 KB.
    expect(compileSieve(many(80, 4)).length).toBeGreaterThan(800_000);
  });

  it("reads a script as Pismo wrote it when each rule repeated the refusals after it, as Pismo's", () => {
    const v2 = `${PISMO_SCRIPT_HEADER}
# Written by Pismo. Changed by hand, it is shown in Pismo as text.
require ["fileinto", "imap4flags", "reject", "vacation"];

# vacation
if allof (true, not anyof (allof (allof (header :contains "subject" "spam"), not anyof (allof (header :contains "subject" "boss"))))) {
  vacation :days 7 "Away.";
}

# rule [news] news
if allof (allof (header :contains "subject" "news"), not anyof (allof (allof (header :contains "subject" "spam"), not anyof (allof (header :contains "subject" "boss"))))) {
  addflag "\\\\Flagged";
  fileinto "News";
}

# rule [boss] boss
if allof (header :contains "subject" "boss") {
  fileinto "Boss";
  stop;
}

# rule [spam] spam
if allof (header :contains "subject" "spam") {
  reject "No.";
  stop;
}
`;
    const back = readSieve(v2);
    expect(back).toMatchObject({
      kind: "pismo",
      rules: {
        rules: [
          { id: "news", actions: [{ type: "flag" }, { type: "move", folder: "News" }] },
          { id: "boss", actions: [{ type: "move", folder: "Boss" }, { type: "stop" }] },
          { id: "spam", actions: [{ type: "reject", message: "No." }] },
        ],
        vacation: { enabled: true, message: "Away." },
      },
    });
    // Saved anew in today's form, which reads back the same.
    if (back.kind !== "pismo") return;
    const now = compileSieve(back.rules);
    expect(now).not.toBe(v2);
    expect(now).toContain("# refusal\n");
    expect(readSieve(now)).toEqual(back);
    expect(readSieve(v2.replace('"boss"))))) {', '"bos"))))) {'))).toMatchObject({ kind: "foreign" });
    // The decision changed by hand is not Pismo's either.
    expect(
      readSieve(now.replace('} elsif allof (header :contains "subject" "spam")', "} elsif true")),
    ).toEqual({
      kind: "foreign",
      reason: "changed",
      detail: "changed by hand",
    });
  });

  it("refuses a rule set that is not valid", () => {
    expect(() =>
      compileSieve({
        rules: [
          {
            ...invoice.rules[0]!,
            actions: [
              { type: "reject", message: "no" },
              { type: "move", folder: "X" },
            ],
          },
        ],
        vacation: defaultVacation,
      }),
    ).toThrow(/rejects/);
    expect(() =>
      compileSieve({ rules: [{ ...invoice.rules[0]!, name: "two\nlines" }], vacation: defaultVacation }),
    ).toThrow(/one line/);
  });
});

describe("readSieve", () => {
  it("round-trips what Pismo writes, hostile text included", () => {
    for (const set of [invoice, everything, { rules: [], vacation: defaultVacation }]) {
      const script = compileSieve(set);
      const back = readSieve(script);
      expect(back).toEqual({ kind: "pismo", rules: ruleSetSchema.parse(set) });
      if (back.kind === "pismo") expect(compileSieve(back.rules)).toBe(script);
      // As the server may store it, with CRLF line ends.
      expect(readSieve(script.replace(/\n/g, "\r\n")).kind).toBe("pismo");
    }
  });

  it("reads back a header condition on From or Subject written so, as itself", () => {
    const byHeader = (header: string) => ({
      rules: [
        {
          ...invoice.rules[0]!,
          conditions: [
            {
              kind: "text" as const,
              field: "header" as const,
              header,
              match: "contains" as const,
              not: false,
              value: "x",
            },
          ],
        },
      ],
      vacation: defaultVacation,
    });
    for (const header of ["From", "SUBJECT", "X-Spam"]) {
      const script = compileSieve(byHeader(header));
      const back = readSieve(script);
      expect(back.kind, header).toBe("pismo");
      if (back.kind === "pismo") expect(compileSieve(back.rules)).toBe(script);
    }
  });

  it("refuses a NUL or a lone carriage return in a reply or a refusal, which a Sieve string cannot hold", () => {
    const refusing = (message: string) => ({
      rules: [{ ...invoice.rules[0]!, actions: [{ type: "reject" as const, message }] }],
      vacation: defaultVacation,
    });
    expect(() => compileSieve(refusing("a\rb"))).toThrow(/carriage return/);
    expect(() => compileSieve(refusing("a\u0000b"))).toThrow(/NUL/);
    expect(compileSieve(refusing("a\r\nb"))).toContain("reject");
    expect(() =>
      compileSieve({ rules: [], vacation: { ...defaultVacation, enabled: true, message: "x\ry" } }),
    ).toThrow(/carriage return/);
  });

  it("refuses a rule name with a line or paragraph separator, which would end its comment line", () => {
    for (const name of ["a\u2028b", "a\u2029b"])
      expect(() =>
        compileSieve({ rules: [{ ...invoice.rules[0]!, name }], vacation: defaultVacation }),
      ).toThrow(/one line/);
  });

  it("reads a vacation with neither dates nor subject, and a disabled one", () => {
    for (const vacation of [
      { ...defaultVacation, enabled: true, message: "Away." },
      {
        ...defaultVacation,
        enabled: false,
        message: "Kept while off.",
        firstDay: "2026-05-01",
        lastDay: null,
      },
    ]) {
      const back = readSieve(compileSieve({ rules: [], vacation }));
      expect(back).toEqual({ kind: "pismo", rules: { rules: [], vacation } });
    }
  });

  it("calls anything else not written by Pismo", () => {
    const script = compileSieve(invoice);
    expect(readSieve('require "fileinto";\nif header :contains "subject" "x" { fileinto "X"; }\n')).toEqual({
      kind: "foreign",
      reason: "notPismo",
      detail: "not written by Pismo",
    });
    // Changed by hand: one more command, a changed string, a broken script.
    expect(readSieve(script.replace("}\n", "  keep;\n}\n"))).toMatchObject({ kind: "foreign" });
    expect(readSieve(script.replace("[INVOICE]", "[INVOICE] "))).toMatchObject({ kind: "pismo" });
    expect(readSieve(script.replace("if allof (", "if  allof ("))).toEqual({
      kind: "foreign",
      reason: "changed",
      detail: "changed by hand",
    });
    expect(readSieve(`${script}redirect "x@y.z";\n`)).toMatchObject({ kind: "foreign" });
    expect(readSieve(script.replace('"[INVOICE]")', '"[INVOICE]"'))).toMatchObject({ kind: "foreign" });
    expect(readSieve(script.replace("# rule [r1] Invoices\n", ""))).toEqual({
      kind: "foreign",
      reason: "changed",
      detail: "a rule without its comment",
    });
    expect(readSieve(`${script}if true {\n`)).toEqual({
      kind: "foreign",
      reason: "syntax",
      line: 9,
      detail: 'line 9: missing "}"',
    });
  });
});

describe("Sieve syntax", () => {
  it("reads strings, text: blocks, numbers with quantifiers, tags and comments", () => {
    const tokens = tokenize('a "x\\"y\\\\z\\q" 10K 2M :Over /* c\n */ # h\ntext: # c\nline\n..dot\n.\n');
    expect(tokens.map((t) => [t.t, t.v])).toEqual([
      ["ident", "a"],
      ["string", 'x"y\\zq'],
      ["number", 10240],
      ["number", 2097152],
      ["tag", "Over"],
      ["comment", " h"],
      ["string", "line\n.dot\n"],
    ]);
  });

  it("parses nested tests and blocks", () => {
    const [cmd] = parseSieve('if anyof (not size :over 1K, header :is ["a","b"] "c") { stop; }');
    expect(cmd).toMatchObject({
      name: "if",
      tests: [
        {
          name: "anyof",
          tests: [
            {
              name: "not",
              tests: [
                {
                  name: "size",
                  args: [
                    { kind: "tag", name: "over" },
                    { kind: "number", value: 1024 },
                  ],
                },
              ],
            },
            {
              name: "header",
              args: [
                { kind: "tag", name: "is" },
                { kind: "strings", values: ["a", "b"] },
                { kind: "string", value: "c" },
              ],
            },
          ],
        },
      ],
      block: [{ name: "stop", block: null }],
    });
  });

  it("names the line of a syntax error", () => {
    expect(() => parseSieve("if true {\n  stop;\n")).toThrow(SieveSyntaxError);
    expect(() => parseSieve('fileinto "x\n')).toThrow("line 1: unterminated string");
    expect(() => parseSieve("stop;\nstop\n")).toThrow(/line 2/);
    expect(() => parseSieve("if true { stop; } }")).toThrow('unexpected "}"');
  });
});
