import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Libraries that do I/O; the pure core (libs/bpmn, libs/engine) must not import them. */
const IO_LIBRARIES = ['express', 'bullmq', 'ioredis', 'typeorm', 'mysql2', 'winston', 'multer', 'supertest'];
const NODE_IO = [
  'fs',
  'net',
  'http',
  'https',
  'child_process',
  'dgram',
  'dns',
  'tls',
  'cluster',
  'worker_threads',
];

export const pureCoreRestriction = {
  paths: [
    ...IO_LIBRARIES,
    ...NODE_IO.flatMap((name) => [name, `node:${name}`, `${name}/promises`, `node:${name}/promises`]),
  ].map((name) => ({
    name,
    message: 'libs/bpmn and libs/engine are pure: no I/O libraries (see the architecture page).',
  })),
  patterns: [
    { group: ['@libs/*/*'], message: 'Import a lib through its alias root (@libs/<name>), never deep.' },
    {
      group: ['@libs/persistence', '@libs/queue', '@libs/http', '@libs/batch', '@libs/logging'],
      message: 'The pure core may not depend on I/O libs.',
    },
    ...IO_LIBRARIES.map((name) => ({ group: [`${name}/*`], message: 'libs/bpmn and libs/engine are pure.' })),
  ],
};

/** SQL statements, as string or template text: only libs/persistence writes SQL (the architecture page). */
const SQL_STATEMENT = String.raw`/^\s*(SELECT\s[\s\S]*\sFROM\s|INSERT\s+(IGNORE\s+)?INTO\s|UPDATE\s+\w+(\s+\w+)?\s+(JOIN\s[\s\S]*)?SET\s|DELETE\s+FROM\s)/`;
const SQL_MESSAGE = 'SQL is written in libs/persistence only: put this statement behind a repository.';
export const sqlOutsidePersistence = [
  { selector: `Literal[value=${SQL_STATEMENT}]`, message: SQL_MESSAGE },
  { selector: `TemplateElement[value.raw=${SQL_STATEMENT}]`, message: SQL_MESSAGE },
];

/** Deciding by an error's message text: errors carry data (class, entity, id, code) to decide by. */
const MESSAGE_MESSAGE =
  "Errors carry data: decide by the error's class or fields (entity, id, code), never by its message text.";
const COMPARED = 'BinaryExpression[operator=/^[!=]==?$/]';
const TEXT_SEARCHES =
  '/^(startsWith|endsWith|includes|indexOf|lastIndexOf|match|matchAll|search|localeCompare)$/';
export const messageTests = [
  { selector: `${COMPARED} > MemberExpression.left[property.name='message']`, message: MESSAGE_MESSAGE },
  { selector: `${COMPARED} > MemberExpression.right[property.name='message']`, message: MESSAGE_MESSAGE },
  {
    selector: `CallExpression > MemberExpression.callee[property.name=${TEXT_SEARCHES}] > MemberExpression.object[property.name='message']`,
    message: MESSAGE_MESSAGE,
  },
  {
    selector:
      "CallExpression[callee.property.name='test'] > MemberExpression.arguments[property.name='message']",
    message: MESSAGE_MESSAGE,
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.local/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@libs/*/*'],
              message: 'Import a lib through its alias root (@libs/<name>), never deep.',
            },
          ],
        },
      ],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-syntax': ['error', ...messageTests] },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/persistence/**', '**/*.spec.ts'],
    rules: { 'no-restricted-syntax': ['error', ...sqlOutsidePersistence, ...messageTests] },
  },
  {
    files: ['libs/bpmn/**/*.ts', 'libs/engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', pureCoreRestriction] },
  },
  {
    // Tests may read fixtures and drive servers, including the tests of the pure core.
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-imports': ['error', { patterns: [pureCoreRestriction.patterns[0]] }],
    },
  },
  {
    // The console runs in the browser (built by apps/console/build.mjs).
    files: ['apps/console/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
