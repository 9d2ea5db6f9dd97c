// One flat config for the whole workspace: every package's `lint` script runs `eslint .`,
// and ESLint finds this file by walking up from the package folder.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import nextPlugin from "@next/eslint-plugin-next";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "**/out/**", "**/.next/**", "**/next-env.d.ts", "**/test-results/**", "**/playwright-report/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": ["error", { selector: "ExportDefaultDeclaration", message: "Use named exports." }],
    },
  },
  {
    // Next.js and config files want default exports.
    files: ["apps/web/src/app/**", "**/*.config.*", "eslint.config.mjs"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // The protocol package does no I/O, and the web app never imports the gateway.
    files: ["packages/protocol/**/*.ts"],
    ignores: ["packages/protocol/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["node:*", "fs", "net", "tls", "http", "https", "ws", "imapflow", "dexie"], message: "protocol does no I/O" },
      ] }],
    },
  },
  {
    files: ["apps/web/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      // The app router has no pages/ directory for this rule to read.
      "@next/next/no-html-link-for-pages": "off",
      "no-restricted-imports": ["error", { patterns: [
        { group: ["@pismo/gateway", "@pismo/gateway/*", "@pismo/mail-harness"], message: "the web app never imports the gateway" },
      ] }],
    },
  },
);
