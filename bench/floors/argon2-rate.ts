/*
 * Floor 3: argon2id at the product's configured parameters (ARGON2_PARAMS of the password
 * hasher), N hashes in parallel, N = CPU cores: the most sign-ins per second this machine's
 * hash allows. Prints one JSON line: {hashesPerSecond, msPerHash, cpuMsPerHash, parallel, params}.
 */
import os from "node:os";
import { hash } from "@node-rs/argon2";
import { ARGON2_PARAMS } from "../../src/server/lib/crypto/password-hasher.js";

const ARGON2ID = 2; // Algorithm.Argon2id (an ambient const enum)
const seconds = Number(process.argv[2] ?? 5);
const parallel = os.availableParallelism();
const options = { algorithm: ARGON2ID, ...ARGON2_PARAMS };

await Promise.all(Array.from({ length: parallel }, () => hash("warm-up password", options)));
let count = 0;
const end = Date.now() + seconds * 1000;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
await Promise.all(
  Array.from({ length: parallel }, async () => {
    while (Date.now() < end) {
      await hash("correct horse battery staple benchmark", options);
      count++;
    }
  }),
);
const cpu = process.cpuUsage(cpu0);
const elapsed = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    hashesPerSecond: count / elapsed,
    msPerHash: (elapsed * 1000 * parallel) / count,
    cpuMsPerHash: (cpu.user + cpu.system) / 1000 / count,
    parallel,
    params: ARGON2_PARAMS,
  }),
);
