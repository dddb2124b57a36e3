/*
 * Floor 2: Fastify + ONE better-sqlite3 primary-key lookup per request (a prepared statement on a
 * table of 100,000 rows, a random key each time) — what a session check cannot beat: one
 * indexed read and a JSON answer. Same pragmas as the product (WAL). Listens on PORT until SIGTERM.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import Fastify from "fastify";

const ROWS = 100_000;
const db = new SqliteDatabase(path.join(process.env.DATA_DIR ?? ".", "floor.sqlite"));
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec(`create table if not exists rows (
  id text primary key, email text not null, first_name text not null, last_name text not null,
  locale text not null, timezone text not null, created_at integer not null)`);
const keys: string[] = [];
const insert = db.prepare("insert into rows values (?, ?, ?, ?, 'en-GB', 'UTC', ?)");
db.transaction(() => {
  for (let i = 0; i < ROWS; i++) {
    // Random 43-character keys, like the SHA-256 (base64url) token hashes of the sessions table.
    const key = randomBytes(32).toString("base64url");
    keys.push(key);
    insert.run(key, `user${i}@example.test`, "Floor", `Row ${i}`, Date.now());
  }
})();
const lookup = db.prepare("select * from rows where id = ?");

const app = Fastify({ logger: false });
app.get("/", async (_request, reply) => {
  const row = lookup.get(keys[Math.floor(Math.random() * ROWS)]);
  if (!row) return reply.status(404).send({ error: "missing" });
  return row;
});
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
process.on("SIGTERM", () => void app.close().then(() => process.exit(0)));
