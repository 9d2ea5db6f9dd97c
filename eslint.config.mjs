// One flat config for the whole workspace: every package's `lint` script runs `eslint .`,
// and ESLint finds this file by walking up from the package folder.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import nextPlugin from "@next/eslint-plugin-next";

/** Relative imports that climb out of a package into another app or package: a workspace
 * package is reached by its name, so its boundary (and its exports) stays visible. */
const crossPackage = {
  group: [
    "../../apps/*",
    "../../../apps/*",
    "../../../../apps/*",
    "../../packages/*",
    "../../../packages/*",
    "../../../../packages/*",
    "../../e2e/*",
    "../../../e2e/*",
  ],
  message: "import another workspace package by its name (@pismo/...), not by a relative path",
};

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "**/out/**",
      "**/.next/**",
      "**/next-env.d.ts",
      "**/test-results/**",
      "**/playwright-report/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      // Type-aware rules: each file is checked with its own package's tsconfig.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits hides its rejection; a promise where a void callback is
      // expected (an event handler) does too.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        { selector: "ExportDefaultDeclaration", message: "Use named exports." },
      ],
      "no-restricted-imports": ["error", { patterns: [crossPackage] }],
    },
  },
  {
    // Plain JavaScript build and config scripts are in no tsconfig: lint them without types.
    files: ["**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The protocol package does no I/O: no sockets, files, processes, randomness or clocks of
    // the host, and none of the browser's storage or network either. It runs the same in the
    // gateway, the browser and a unit test.
    files: ["packages/protocol/**/*.ts"],
    ignores: ["packages/protocol/**/*.test.ts", "packages/protocol/src/test-support/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            crossPackage,
            {
              group: [
                "node:*",
                "fs",
                "fs/*",
                "net",
                "tls",
                "http",
                "https",
                "dns",
                "crypto",
                "path",
                "child_process",
                "os",
                "ws",
                "imapflow",
                "nodemailer",
                "dexie",
              ],
              message: "protocol does no I/O",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        ...[
          "fetch",
          "XMLHttpRequest",
          "WebSocket",
          "indexedDB",
          "localStorage",
          "sessionStorage",
          "navigator",
          "process",
          "require",
        ].map((name) => ({ name, message: "protocol does no I/O: the caller passes what it needs" })),
      ],
    },
  },
  {
    // The gateway is the product; the mail harness is a test tool that only tests may use.
    files: ["apps/gateway/src/**/*.ts"],
    ignores: ["apps/gateway/src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            crossPackage,
            {
              group: ["@pismo/mail-harness", "@pismo/mail-harness/*"],
              message: "the gateway never imports the test harness",
            },
            { group: ["@pismo/web", "@pismo/web/*"], message: "the gateway never imports the web app" },
          ],
        },
      ],
    },
  },
  {
    files: ["apps/web/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      // Pismo's one other page (/check-link) is opened in a tab of its own, by address.
      "@next/next/no-html-link-for-pages": "off",
      // In the browser React is Preact's React layer (apps/web/next.config.ts), which writes
      // these as HTML attributes, unlike React: an attribute whose value is "false" is removed,
      // and `autofocus` is honoured by browsers once per document.
      "no-restricted-syntax": [
        "error",
        { selector: "ExportDefaultDeclaration", message: "Use named exports." },
        {
          selector: "JSXAttribute[name.name='spellCheck'] > JSXExpressionContainer > Literal[value=false]",
          message: 'Write spellCheck="false": a false value removes the attribute in Preact.',
        },
        {
          selector: "JSXOpeningElement[name.name=/^[a-z]/] > JSXAttribute[name.name='autoFocus']",
          message:
            "Use ref={focusOnMount} (lib/focus-on-mount.ts); autoFocus is right only inside a <dialog>, with a comment.",
        },
      ],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            crossPackage,
            {
              group: ["@pismo/gateway", "@pismo/gateway/*", "@pismo/mail-harness", "@pismo/mail-harness/*"],
              message: "the web app never imports the gateway",
            },
          ],
        },
      ],
    },
  },
  {
    // Next.js and config files want default exports.
    files: ["apps/web/src/pages/**", "**/*.config.*", "eslint.config.mjs"],
    rules: { "no-restricted-syntax": "off" },
  },
);
