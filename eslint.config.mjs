// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'out/**', 'test-results/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test() and describe() return promises the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      eqeqeq: ['error', 'always'],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    // The language service is pure: no file system, no process, no editor, no connection. Hosts
    // (server/src/node, server/src/lsp, the CLI) inject what it needs through IWorkspace.
    files: ['server/src/service/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The service is pure: the host passes what it needs through IWorkspace.' },
            { group: ['fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'url', 'process'], message: 'The service is pure: no Node.js modules.' },
            {
              group: ['vscode', 'vscode-languageclient', 'vscode-languageclient/*', 'vscode-languageserver', 'vscode-languageserver/*'],
              message: 'The service knows neither the editor nor the connection; use vscode-languageserver-types.',
            },
            { group: ['**/node/*', '**/cli/*', '**/cli', '**/server', '**/client/*'], message: 'The service must not import its hosts.' },
          ],
        },
      ],
    },
  },
);
