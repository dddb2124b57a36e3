import net from "node:net";

/** What the fake SMTP server answers to `RCPT TO` (e.g. `250 OK`, `550 5.1.1 No such user`, `451 4.3.0 Try later`). */
export interface FakeSmtpServer {
  url: string;
  /** Messages received (the DATA of each), oldest first. */
  messages: string[];
  /** The answer to the next `RCPT TO` commands. */
  setRcptReply(reply: string): void;
  close(): Promise<void>;
}

/**
 * A minimal SMTP server (RFC 5321 commands nodemailer uses, no TLS, no auth) on a loopback port,
 * for tests of what the mailer sends and how it treats refusals.
 */
export async function startFakeSmtpServer(): Promise<FakeSmtpServer> {
  const messages: string[] = [];
  let rcptReply = "250 OK";
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let buffer = "";
    let data: string[] | undefined;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 fake-smtp ready");
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let end: number;
      while ((end = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line === ".") {
            messages.push(data.join("\r\n"));
            data = undefined;
            reply("250 2.0.0 queued");
          } else data.push(line.startsWith("..") ? line.slice(1) : line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") reply("250 fake-smtp");
        else if (verb === "MAIL") reply("250 OK");
        else if (verb === "RCPT") reply(rcptReply);
        else if (verb === "DATA") {
          data = [];
          reply("354 go ahead");
        } else if (verb === "QUIT") {
          reply("221 bye");
          socket.end();
        } else if (verb === "RSET" || verb === "NOOP") reply("250 OK");
        else reply("502 5.5.2 not implemented");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    setRcptReply: (r) => {
      rcptReply = r;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
