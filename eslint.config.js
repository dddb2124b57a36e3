import fs from "node:fs";
import js from "@eslint/js";
import importPlugin from "eslint-plugin-import";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * How the import plugin finds a module: eslint-import-resolver-typescript reads both tsconfigs,
 * so the path aliases (`@test/*`, `@web/*`, `@contracts/*`) and NodeNext `.js` specifiers of `.ts`
 * files resolve as tsc resolves them.
 */
const importResolver = { typescript: { project: ["tsconfig.json", "tsconfig.web.json"], noWarnOnMultipleProjects: true } };

export default tseslint.config(
  { ignores: ["dist/**", "data/**", "node_modules/**", "bench/results/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='sql'][callee.property.name='raw']",
          message: "Use parameterized queries (H3), not sql.raw.",
        },
      ],
    },
  },
  {
    // Server layering (style guide §2), checked on resolved paths like the web's below: lib is
    // app-agnostic; routes call services, never the database or a repository; http knows no
    // feature; the database layer knows no feature; no feature reaches the composition root
    // (services.ts), which is what keeps import cycles out. Tests may import anything.
    files: ["src/server/**/*.ts"],
    ignores: ["**/*.test.ts", "**/*.test-support.ts"],
    plugins: { import: importPlugin },
    settings: { "import/resolver": importResolver },
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          basePath: import.meta.dirname,
          zones: [
            {
              target: "./src/server/lib",
              from: [
                "./src/server/db",
                "./src/server/config.ts",
                "./src/server/errors.ts",
                "./src/server/features",
                "./src/server/http",
                "./src/server/cli",
                "./src/server/services.ts",
                "./src/server/services",
                "./src/server/app.ts",
              ],
              message: "lib/ is app-agnostic: no database, configuration, errors or app modules (style guide §2).",
            },
            {
              target: "./src/server/features/**/*.routes.ts",
              from: ["./src/server/db/**", "./src/server/features/**/*.repo.ts"],
              message: "Routes call services, never the database or a repository (style guide §2).",
            },
            {
              target: "./src/server/http",
              from: [
                "./src/server/features",
                "./src/server/db",
                "./src/server/services.ts",
                "./src/server/services",
                "./src/server/cli",
              ],
              message: "http/ is cross-cutting: it receives what it needs from app.ts (style guide §2).",
            },
            {
              target: "./src/server/db",
              from: [
                "./src/server/features",
                "./src/server/http",
                "./src/server/services.ts",
                "./src/server/services",
                "./src/server/cli",
              ],
              message: "The database layer knows no feature (style guide §2).",
            },
            {
              target: "./src/server/features",
              from: [
                "./src/server/services.ts",
                "./src/server/services",
                "./src/server/app.ts",
                "./src/server/main.ts",
                "./src/server/cli",
              ],
              message: "Features receive their dependencies; they never import the composition root (style guide §2).",
            },
          ],
        },
      ],
    },
  },
  {
    // One owner per table: SQL is written only in repositories (*.repo.ts; the job lock owns its
    // own table), migrations and tests. Services run transactions and call repositories.
    files: ["src/server/**/*.ts"],
    ignores: ["**/*.repo.ts", "src/server/db/**", "src/server/features/jobs/job-lock.ts", "**/*.test.ts", "**/*.test-support.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='sql'][callee.property.name='raw']",
          message: "Use parameterized queries (H3), not sql.raw.",
        },
        {
          selector:
            "CallExpression[callee.property.name=/^(selectFrom|updateTable|insertInto|deleteFrom|replaceInto|mergeInto)$/]",
          message: "Statements on a table live in the repository of the feature that owns it (*.repo.ts).",
        },
      ],
    },
  },
  {
    files: ["src/web/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/server/**"], message: "The web app talks to the server over HTTP only." }] },
      ],
    },
  },
  {
    // Web layering (style guide §2): app → features → components | lib | @contracts, and no feature
    // imports another (compose them in app/routes). The zones compare resolved file paths, so
    // relative imports from any depth, re-exports and lazy `import()`s are all checked.
    files: ["src/web/**/*.{ts,tsx}"],
    plugins: { import: importPlugin },
    settings: { "import/resolver": importResolver },
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          basePath: import.meta.dirname,
          zones: [
            ...listWebFeatures().map((feature) => ({
              target: `./src/web/features/${feature}`,
              from: "./src/web/features",
              except: [`./${feature}`],
              message: "A feature may not import another feature: compose them in src/web/app/routes (style guide §2).",
            })),
            {
              target: "./src/web/features",
              from: "./src/web/app",
              message: "Features may not import the app layer (style guide §2).",
            },
            {
              target: ["./src/web/components", "./src/web/lib"],
              from: ["./src/web/features", "./src/web/app"],
              message: "Shared components and lib may not import features or the app (style guide §2).",
            },
          ],
        },
      ],
    },
  },
  {
    // Test code reaches the shared helpers through aliases (`@test/*`, `@web/test/*`): every
    // relative or aliased import must resolve for the import plugin as it does for tsc and vitest.
    // Packages are tsc's to check (this resolver does not read package `exports`).
    files: ["**/*.test.{ts,tsx}", "**/*.test-support.ts", "test/**/*.ts", "e2e/**/*.ts", "src/web/test/**/*.{ts,tsx}"],
    plugins: { import: importPlugin },
    settings: { "import/resolver": importResolver },
    rules: { "import/no-unresolved": ["error", { ignore: ["^(?!\\.|@test/|@web/|@contracts/)"] }] },
  },
);

/** The web feature folders (`src/web/features/*`), so a new feature is covered without editing this file. */
function listWebFeatures() {
  return fs
    .readdirSync(new URL("./src/web/features", import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}
