// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Workflow code runs in Temporal's deterministic sandbox and is replayed from history: it may import
 * `@temporalio/workflow`, pure libraries and `import type` from activities, and nothing that reaches the machine.
 */
const SANDBOX_MESSAGE = 'workflow code runs in the deterministic Temporal sandbox';

/** Globals the sandbox does not provide, or provides only non-deterministically, with what to use instead. */
const sandboxGlobals = {
  process: 'read configuration in the worker or an activity and pass it in the workflow input',
  require: 'use a static import of a pure module',
  module: 'use ES module syntax',
  exports: 'use ES module syntax',
  __dirname: 'workflows have no file system',
  __filename: 'workflows have no file system',
  global: 'use the value directly',
  Buffer: 'use Uint8Array with TextEncoder/TextDecoder',
  setInterval: 'loop over `sleep()` from @temporalio/workflow',
  clearInterval: 'loop over `sleep()` from @temporalio/workflow',
  setImmediate: 'await a resolved promise, or `sleep()`',
  clearImmediate: 'await a resolved promise, or `sleep()`',
  fetch: 'do I/O in an activity',
  XMLHttpRequest: 'do I/O in an activity',
  WebSocket: 'do I/O in an activity',
  crypto: 'use `uuid4()` from @temporalio/workflow for ids',
  performance: 'use `Date.now()`, which is the deterministic workflow time',
  WeakRef: 'garbage collection is not deterministic',
  FinalizationRegistry: 'garbage collection is not deterministic',
};

const WORKFLOW_SANDBOX_ENGINE_FILES = ['conditions', 'duration', 'expressions', 'node-task', 'output-ref', 'plan', 'pure-nodes', 'run-state', 'templates'].map((name) => `engine/${name}.ts`);

export default defineConfig(
  globalIgnores(['data/', '.tools/', 'dist/', 'coverage/', 'bench/results/', 'web/dist/'], 'not linted: built or installed files'),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'kai/typescript',
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-eval': 'error',
      'no-implied-eval': 'off',
      '@typescript-eslint/no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    name: 'kai/javascript',
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    name: 'kai/public-chat-browser',
    // Served to browsers as they are (the public chat page and its embed script): browser globals, not Node's.
    files: ['api/public-chat/assets/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
  {
    name: 'kai/workflow-sandbox',
    // The engine modules the workflow bundle imports run in the same sandbox, so the same rules hold there.
    files: ['workflows/**/*.ts', ...WORKFLOW_SANDBOX_ENGINE_FILES],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...builtinModules.map((name) => ({ name, message: `${SANDBOX_MESSAGE}: Node built-ins are not available; do this in an activity` })),
            ...['@temporalio/activity', '@temporalio/client', '@temporalio/worker'].map((name) => ({
              name,
              message: `${SANDBOX_MESSAGE}: only @temporalio/workflow (and @temporalio/common) belong here`,
            })),
          ],
          patterns: [
            { group: ['node:*'], message: `${SANDBOX_MESSAGE}: Node built-ins are not available; do this in an activity` },
            {
              group: ['**/activities', '**/activities/**'],
              allowTypeImports: true,
              message: `${SANDBOX_MESSAGE}: call activities through proxyActivities; \`import type\` is allowed`,
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...Object.entries(sandboxGlobals).map(([name, instead]) => ({ name, message: `${SANDBOX_MESSAGE}: ${instead}` }))],
      'no-restricted-properties': [
        'error',
        ...Object.entries(sandboxGlobals).map(([property, instead]) => ({ object: 'globalThis', property, message: `${SANDBOX_MESSAGE}: ${instead}` })),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: `${SANDBOX_MESSAGE}: dynamic import() is not bundled; import statically` },
      ],
    },
  },
  {
    name: 'kai/canvas-boundary',
    // The canvas shares types and schemas with the server through the contract only, never server internals.
    files: ['web/src/**/*.ts'],
    ignores: ['web/src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./){3,}',
              message: 'web/ imports the shared contract through $contract/… and its own modules through $lib/… or $components/…, never files outside web/src',
            },
          ],
        },
      ],
    },
  },
  {
    name: 'kai/javascript-untyped',
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
