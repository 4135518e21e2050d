// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // `npm start` serves the self-contained build in .next/standalone (scripts/start.mts).
  output: 'standalone',
  // Native addons are loaded from node_modules at run time, never bundled.
  serverExternalPackages: ['better-sqlite3', 'prom-client', '@grpc/grpc-js', '@grpc/proto-loader'],
  poweredByHeader: false,
  // Everywhere, pages and API alike; the CSP with its nonce comes from proxy.ts.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
    ];
  },
};

module.exports = nextConfig;
