/** Module rules checked by `npm test` (step "cycles"): no import cycles in the server, type-only imports included. */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "An import cycle couples modules that should not know each other; inject the dependency instead.",
      from: { path: "^src/server" },
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.test\\.ts$" },
  },
};
