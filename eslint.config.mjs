// Lint rules that guard security properties the tests cannot see everywhere: no code is ever compiled
// from strings (no eval, no new Function, no string timers), in the engine, the host or the webview.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '.vscode-test/**', 'test-results/**', 'extension/engine/schema/validators.generated.js'] },
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-script-url': 'error',
    },
  },
  {
    // Text from the files reaches VS Code's notifications and status bar only through host/notify.ts,
    // which leaves it no link, icon or control character.
    files: ['extension/**/*.ts'],
    ignores: ['extension/host/notify.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^(showErrorMessage|showWarningMessage|showInformationMessage|setStatusBarMessage)$/]',
          message: 'Use showError / showWarning / showInfo / statusMessage from extension/host/notify.ts: they make text from the files safe.',
        },
      ],
    },
  },
);
