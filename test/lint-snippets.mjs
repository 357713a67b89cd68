// Lints code snippets with the repository's ESLint config, each as if saved at a given path.
// stdin: [{ "file": "workflows/x.ts", "code": "..." }, ...]; stdout: one array of "rule: message" lines per snippet.
// A separate process because ESLint loads eslint.config.mjs with import(), which Jest's module sandbox refuses.
import path from 'node:path';
import { ESLint } from 'eslint';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const snippets = JSON.parse(input);
const eslint = new ESLint({
  cwd: process.cwd(),
  // The snippets' files do not exist, so the TypeScript project cannot hold them: they get a default project with
  // tsconfig.json's options. Only where type information comes from changes; every rule is the configured one.
  overrideConfig: {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: [...new Set(snippets.map((s) => s.file))], defaultProject: 'tsconfig.json' } },
    },
  },
});
const results = [];
for (const { file, code } of snippets) {
  const [result] = await eslint.lintText(code, { filePath: path.resolve(file) });
  results.push(result.messages.map((message) => `${message.ruleId}: ${message.message}`));
}
process.stdout.write(JSON.stringify(results));
