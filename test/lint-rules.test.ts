import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const REPO_ROOT = path.resolve(__dirname, '..');

/** Each snippet is linted by the real eslint.config.mjs as if it were saved at `file`. */
const snippets = {
  builtinsInWorkflow: { file: 'workflows/x.ts', code: "import fs from 'node:fs';\nimport { join } from 'path';\nexport const x = [fs, join];\n" },
  builtinInActivity: { file: 'activities/x.ts', code: "import fs from 'node:fs';\nexport const x = fs;\n" },
  builtinInWorkflowTest: { file: 'workflows/x.test.ts', code: "import fs from 'node:fs';\nexport const x = fs;\n" },
  activityTypeInWorkflow: {
    file: 'workflows/x.ts',
    code: "import type { createActivities } from '../activities';\nexport type A = ReturnType<typeof createActivities>;\n",
  },
  activityValueInWorkflow: { file: 'workflows/x.ts', code: "import { createActivities } from '../activities';\nexport const a = createActivities;\n" },
  activityModuleInWorkflow: { file: 'workflows/x.ts', code: "import { nodeDefinitions } from '../activities/registry';\nexport const n = nodeDefinitions;\n" },
  sandboxGlobals: {
    file: 'workflows/x.ts',
    code: [
      'export const env = process.env.HOME;',
      'export const id = crypto.randomUUID();',
      'export const timer = setInterval(() => undefined, 10);',
      'export const viaGlobal = globalThis.fetch;',
      "export const lazy = import('graphology');",
      'export const now = Date.now();',
    ].join('\n'),
  },
  serverModuleInCanvas: { file: 'web/src/lib/forms/x.ts', code: "import { createApp } from '../../../api/app';\nexport const a = createApp;\n" },
  ownModuleInCanvas: { file: 'web/src/lib/forms/x.ts', code: "import { sortGraph } from './sort';\nexport const s = sortGraph;\n" },
  floatingPromise: { file: 'api/x.ts', code: 'async function work(): Promise<void> {}\nexport function run(): void {\n  work();\n}\n' },
};

let problems: Record<keyof typeof snippets, string[]>;

beforeAll(async () => {
  const names = Object.keys(snippets) as (keyof typeof snippets)[];
  const linting = promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'test', 'lint-snippets.mjs')], { cwd: REPO_ROOT, maxBuffer: 1 << 20 });
  linting.child.stdin?.end(JSON.stringify(names.map((name) => snippets[name])));
  const results = JSON.parse((await linting).stdout) as string[][];
  problems = Object.fromEntries(names.map((name, i) => [name, results[i]])) as typeof problems;
}, 120_000);

test('a Node built-in imported in workflow code is an error, with and without the node: prefix', () => {
  expect(problems.builtinsInWorkflow).toEqual([
    expect.stringMatching(/^@typescript-eslint\/no-restricted-imports: .*'node:fs'.*Node built-ins are not available/),
    expect.stringMatching(/^@typescript-eslint\/no-restricted-imports: .*'path'.*Node built-ins are not available/),
  ]);
});

test('the same import outside workflow code is allowed, tests of workflows included', () => {
  expect(problems.builtinInActivity).toEqual([]);
  expect(problems.builtinInWorkflowTest).toEqual([]);
});

test('workflow code may import activity types but not activity implementations', () => {
  expect(problems.activityTypeInWorkflow).toEqual([]);
  expect(problems.activityValueInWorkflow).toEqual([expect.stringMatching(/^@typescript-eslint\/no-restricted-imports: .*proxyActivities/)]);
  expect(problems.activityModuleInWorkflow).toEqual([expect.stringMatching(/^@typescript-eslint\/no-restricted-imports: .*proxyActivities/)]);
});

test('globals the sandbox lacks or makes non-deterministic are errors in workflow code; Date.now is not', () => {
  expect(problems.sandboxGlobals).toEqual([
    expect.stringMatching(/^no-restricted-globals: .*'process'/),
    expect.stringMatching(/^no-restricted-globals: .*'crypto'.*uuid4\(\)/),
    expect.stringMatching(/^no-restricted-globals: .*'setInterval'/),
    expect.stringMatching(/^no-restricted-properties: .*'globalThis.fetch'/),
    expect.stringMatching(/^no-restricted-syntax: .*dynamic import\(\)/),
  ]);
});

test('a floating promise is an error outside workflows too', () => {
  expect(problems.floatingPromise).toEqual([expect.stringMatching(/^@typescript-eslint\/no-floating-promises: /)]);
});

test('canvas code imports its own modules and the contract, not server files', () => {
  expect(problems.serverModuleInCanvas).toEqual([expect.stringMatching(/^@typescript-eslint\/no-restricted-imports: .*never files outside web\/src/)]);
  expect(problems.ownModuleInCanvas.filter((line) => line.includes('no-restricted-imports'))).toEqual([]);
});
