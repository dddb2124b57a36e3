/*
 * The PostgreSQL floor: Fastify + ONE `pg` primary-key lookup per request (a named prepared
 * statement over a pool of 10 connections, on a table of 100,000 rows, a random key each time)
 * — what a session check on PostgreSQL cannot beat: one indexed read over the network protocol
 * and a JSON answer. PostgreSQL scenarios are compared with this floor, SQLite ones with the
 * SQLite floor, so each database is judged against the best its own driver can do here.
 * Reads PG_URL; its table is its own and dropped on SIGTERM. Listens on PORT until SIGTERM.
 */
import { randomBytes } from "node:crypto";
import Fastify from "fastify";
import pg from "pg";

const ROWS = 100_000;
const BATCH = 5_000;
const table = `pc_bench_floor_rows_${process.pid}`;
// Named so the bench can find its backends and count their CPU time beside this process's.
const pool = new pg.Pool({ connectionString: process.env.PG_URL, max: 10, application_name: `pc-bench-floor-${process.pid}` });

await pool.query(`drop table if exists ${table}`);
await pool.query(`create table ${table} (
  id text primary key, email text not null, first_name text not null, last_name text not null,
  locale text not null, timezone text not null, created_at bigint not null)`);
const keys: string[] = [];
for (let start = 0; start < ROWS; start += BATCH) {
  const ids: string[] = [];
  const emails: string[] = [];
  const lastNames: string[] = [];
  for (let i = start; i < Math.min(start + BATCH, ROWS); i++) {
    // Random 43-character keys, like the SHA-256 (base64url) token hashes of the sessions table.
    const key = randomBytes(32).toString("base64url");
    keys.push(key);
    ids.push(key);
    emails.push(`user${i}@example.test`);
    lastNames.push(`Row ${i}`);
  }
  await pool.query(
    `insert into ${table} select id, email, 'Floor', last_name, 'en-GB', 'UTC', $4
       from unnest($1::text[], $2::text[], $3::text[]) as t(id, email, last_name)`,
    [ids, emails, lastNames, Date.now()],
  );
}
await pool.query(`analyze ${table}`);
const lookup = { name: "floor-pk", text: `select * from ${table} where id = $1` };

const app = Fastify({ logger: false });
app.get("/", async (_request, reply) => {
  const { rows } = await pool.query({ ...lookup, values: [keys[Math.floor(Math.random() * ROWS)]] });
  const row: unknown = rows[0];
  if (!row) return reply.status(404).send({ error: "missing" });
  return row;
});
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
process.on("SIGTERM", () => {
  void app
    .close()
    .then(() => pool.query(`drop table if exists ${table}`))
    .finally(() => pool.end())
    .finally(() => process.exit(0));
});
