import type { NextConfig } from "next";

// In the browser, React is Preact's React layer (preact/compat): React DOM alone was ~59 kB of
// brotli in every first load, Preact with its React layer is ~9 kB (README, "Notes on
// dependencies"). Only the browser's code is aliased: the static export is rendered at build
// time by React itself (the app renders once it runs in the browser; the page's HTML holds only
// an early copy of the sign-in form, pages/_document.tsx).
const inTheBrowser = {
  "react-dom/client": "preact/compat/client",
  "react-dom": "preact/compat",
  "react/jsx-runtime": "preact/jsx-runtime",
  "react/jsx-dev-runtime": "preact/jsx-runtime",
  react: "preact/compat",
} as const;

// A static export: the gateway serves these files, the tRPC WebSocket and attachments on one
// origin (no Node server for the UI in production).
const config: NextConfig = {
  output: "export",
  reactStrictMode: true,
  poweredByHeader: false,
  transpilePackages: ["@pismo/protocol"],
  images: { unoptimized: true },
  productionBrowserSourceMaps: false,
  // `next build --webpack`
  webpack(
    webpackConfig: { resolve: { alias: Record<string, unknown> } },
    { isServer }: { isServer: boolean },
  ) {
    if (!isServer) Object.assign(webpackConfig.resolve.alias, inTheBrowser);
    return webpackConfig;
  },
  // `next dev`
  turbopack: {
    resolveAlias: Object.fromEntries(
      Object.entries(inTheBrowser).map(([from, to]) => [from, { browser: to }]),
    ),
  },
};

export default config;
