import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants";

const common: NextConfig = {
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
};

/** `next build`: a static export for the gateway. `next dev`: /api proxied to a running gateway. */
export default function config(phase: string): NextConfig {
  if (phase !== PHASE_DEVELOPMENT_SERVER) return { ...common, output: "export" };
  const gateway = (process.env.NTX_GATEWAY_URL ?? "http://127.0.0.1:8700").replace(/\/$/, "");
  return {
    ...common,
    env: { NEXT_PUBLIC_NTX_WS_URL: process.env.NEXT_PUBLIC_NTX_WS_URL ?? `${gateway.replace(/^http/, "ws")}/ws` },
    async rewrites() {
      return [
        { source: "/api/:path*", destination: `${gateway}/api/:path*` },
        { source: "/openapi.json", destination: `${gateway}/openapi.json` },
      ];
    },
  };
}
