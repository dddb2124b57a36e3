import fs from "node:fs";
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import importPlugin from "eslint-plugin-import";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * How the import plugin finds a module: the tsconfig path aliases (`@test/*`, `@web/*`,
 * `@contracts/*`) and NodeNext `.js` specifiers through scripts/eslint-import-resolver-paths.cjs,
 * then packages through Node's resolution.
 */
const importResolver = {
  [fileURLToPath(new URL("./scripts/eslint-import-resolver-paths.cjs", import.meta.url))]: {
    projects: ["./tsconfig.json", "./tsconfig.web.json"].map((file) => fileURLToPath(new URL(file, import.meta.url))),
  },
  node: { extensions: [".ts", ".tsx", ".js"] },
};

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
    // CommonJS is kept only where a tool loads the module with require() (the import resolver).
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["src/server/features/**/*.routes.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/db/database*"], message: "Routes call services, never the database (style guide §2)." }] },
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
