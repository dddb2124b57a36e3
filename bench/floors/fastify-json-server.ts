/*
 * Floor 1: bare Fastify answering a small JSON object — what this machine's Node + Fastify can
 * do with no work at all per request. Listens on PORT (loopback) until SIGTERM.
 */
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.get("/", async () => ({ id: "UR-123-456-789", email: "floor@example.test", firstName: "Floor", lastName: "Json" }));
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
process.on("SIGTERM", () => void app.close().then(() => process.exit(0)));
