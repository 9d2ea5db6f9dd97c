import type { NextConfig } from "next";

// A static export: the gateway serves these files, the tRPC WebSocket and attachments on one
// origin (no Node server for the UI in production).
const config: NextConfig = {
  output: "export",
  reactStrictMode: true,
  poweredByHeader: false,
  transpilePackages: ["@pismo/protocol"],
  images: { unoptimized: true },
  productionBrowserSourceMaps: false,
};

export default config;
