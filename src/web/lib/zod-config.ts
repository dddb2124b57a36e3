import { config } from "zod";

// The contracts' zod schemas run in the browser too. Zod probes `new Function` to decide on
// its JIT parser; under our CSP (no 'unsafe-eval') the probe fails safely but still fires a
// `securitypolicyviolation` report, which would drown real CSP signals (checklist E2).
// Imported first by main.tsx so it runs before any schema is built.
config({ jitless: true });
