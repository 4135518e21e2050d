// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native addons are loaded from node_modules at run time, never bundled.
  serverExternalPackages: ['better-sqlite3'],
  poweredByHeader: false,
};

module.exports = nextConfig;
