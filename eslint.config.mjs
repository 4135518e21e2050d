import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

/**
 * lib/'s rooms from the bottom up (docs/architecture.md): a room imports only from its own layer
 * or the ones below, never up. lib/domain, the bottom, has its own stricter rule below; the
 * process's start (instrumentation-node.ts), app/ and components/ are above all of lib/.
 */
const LAYERS = [
  ['domain'],
  ['schemas', 'wire', 'result', 'concurrency', 'format', 'env', 'version', 'process-wide', 'fetch-json', 'query-keys', 'request-body'],
  ['store', 'observe', 'http'],
  ['kube', 'multipass', 'tls', 'auth'],
  ['host'],
  ['host-api'],
  ['expose', 'views', 'doctor'],
  ['server'],
];

function layerRules() {
  return LAYERS.slice(1).flatMap((layer, i) => {
    const above = LAYERS.slice(i + 2).flat();
    const forbidden = above.length ? `^@/lib/(${above.join('|')})(/|\\.m?ts$|$)|` : '';
    return layer.map((room) => ({
      files: [`lib/${room}/**/*.{ts,mts,tsx}`, `lib/${room}.{ts,mts}`],
      ignores: ['**/*.test.ts', '**/testing/**'],
      rules: {
        '@typescript-eslint/no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                regex: `${forbidden}^@/(app|components|instrumentation)`,
                message: `lib/${room} imports only from its own layer or below (docs/architecture.md, "The rooms").`,
              },
            ],
          },
        ],
      },
    }));
  });
}

const config = [
  { ignores: ['.next/**', 'node_modules/**', 'next-env.d.ts', 'test-results/**', 'playwright-report/**'] },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'import/no-duplicates': 'error', // one statement per module
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerRules(),
  {
    // lib/domain is pure: its own files only (the schemas' shapes as types, which erase), no Node module.
    files: ['lib/domain/**/*.{ts,mts}'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@/(?!lib/domain/)',
              allowTypeImports: true,
              message: 'lib/domain is pure: it imports only its own files (types excepted).',
            },
            { regex: '^node:', message: 'lib/domain is pure: no Node module (lib/kube/join-token.mts shows where such code goes).' },
          ],
        },
      ],
    },
  },
  {
    // The browser's code takes server data's shapes from lib/wire.ts, never from the server's modules.
    // The two exceptions are server components that read the server's own state.
    files: ['components/**/*.{ts,tsx}'],
    ignores: ['components/shell/StoreNotice.tsx', 'components/session/TransportNotice.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@/lib/(host|multipass|kube|server|store|auth|expose|tls|views)(/|$)|^@/lib/env$',
              message: "Components take the server's shapes from @/lib/wire and call the server through actions.",
            },
          ],
        },
      ],
    },
  },
  {
    // Playwright fixtures call their continuation `use`; it is not React's hook.
    files: ['e2e/**/*.ts'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
];

export default config;
