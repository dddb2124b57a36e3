import { describe, expect, it } from "vitest";
import { layerOf, layerTimes, parsePerfScript, renderPerfLayers, type PerfFrame } from "../bench/lib/perf-record.js";

/* `npm run bench -- --perf` puts each Linux perf sample of the server in one layer. */

const K = "[kernel.kallsyms]";
const NODE = "/usr/bin/node";
const ADDON = "/srv/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node";
const JIT = "[JIT] tid 4242";
const f = (sym: string, dso: string): PerfFrame => ({ sym, dso });
const js = (where: string) => f(`JS:*fn ${where}:10:5`, JIT);

const SCRIPT = `node 4242  1038.583455:     200040 cpu-clock:ppp: 
\t ffffffff813a4413 _raw_spin_unlock_irqrestore+0x13 ([kernel.kallsyms])
\t ffffffff81a00000 sock_def_readable+0x40 ([kernel.kallsyms])
\t ffffffff81b00000 do_writev+0x60 ([kernel.kallsyms])
\t           1f0000 __GI___writev+0x10 (/usr/lib/x86_64-linux-gnu/libc.so.6)
\t           7c0000 node::StreamBase::Writev+0x30 (/usr/bin/node)

node 4242  1038.583655:     100020 cpu-clock:ppp: 
\t           2b0000 sqlite3VdbeExec+0x999 (${ADDON})
\t           2a0000 Statement::JS_all+0x80 (${ADDON})

`;

describe("bench perf layers", () => {
  it("reads perf script's samples: the period and the stack, leaf first, without offsets", () => {
    const samples = parsePerfScript(SCRIPT);
    expect(samples).toHaveLength(2);
    expect(samples[0]!.ns).toBe(200040);
    expect(samples[0]!.stack[0]).toEqual({ sym: "_raw_spin_unlock_irqrestore", dso: K });
    expect(samples[0]!.stack).toHaveLength(5);
    expect(samples[1]!.stack.map((frame) => frame.sym)).toEqual(["sqlite3VdbeExec", "Statement::JS_all"]);
    expect(layerTimes(samples)).toEqual(
      new Map([
        ["kernel: send (writev, TCP, loopback delivery)", 200040],
        ["SQLite (queries, b-trees, page cache)", 100020],
      ]),
    );
  });

  it("puts kernel time under the system call it serves", () => {
    const fcntl = [
      f("posix_lock_inode", K),
      f("do_fcntl", K),
      f("__x64_sys_fcntl", K),
      f("fcntl64", "libc.so.6"),
      f("unixShmLock", ADDON),
    ];
    expect(layerOf(fcntl)).toBe("kernel: SQLite file locks (fcntl)");
    expect(layerOf([f("copy_to_user", K), f("ksys_read", K), f("uv__read", NODE)])).toBe("kernel: receive (read)");
    expect(layerOf([f("asm_sysvec_apic_timer_interrupt", K), js("/srv/app/dist/server/app.js")])).toBe(
      "kernel: other (interrupts, scheduling)",
    );
  });

  it("tells SQLite's own work from better-sqlite3 building rows in V8", () => {
    expect(layerOf([f("__memcmp_evex_movbe", "libc.so.6"), f("vdbeRecordCompareString", ADDON)])).toBe(
      "SQLite (queries, b-trees, page cache)",
    );
    expect(
      layerOf([f("v8::internal::JSObject::AddDataElement", NODE), f("v8::Object::Set", NODE), f("Data::GetRawRowJS", ADDON)]),
    ).toBe("better-sqlite3: rows into JS values");
    // The result array of `all()`, built by the statement's C++ calling into V8.
    expect(layerOf([f("v8::Object::Set", NODE), f("Statement::JS_all", ADDON)])).toBe("better-sqlite3: rows into JS values");
  });

  it("counts V8 builtins and the garbage collector against the JavaScript that ran them", () => {
    expect(
      layerOf([
        f("v8::internal::ScavengerCollector::CollectGarbage", NODE),
        f("v8::internal::Heap::Scavenge", NODE),
        js("node:_http_outgoing"),
      ]),
    ).toBe("V8 garbage collector");
    expect(
      layerOf([f("Builtins_StringAdd_CheckNone", NODE), js("/srv/app/node_modules/fast-json-stringify/lib/serializer.js")]),
    ).toBe("JSON writing (fast-json-stringify)");
    expect(layerOf([js("/srv/app/node_modules/@fastify/cookie/index.js")])).toBe("Fastify and its plugins");
    expect(layerOf([js("file:///srv/app/dist/server/features/sessions/sessions.service.js")])).toBe("ours (dist/server)");
    expect(layerOf([js("node:internal/streams/writable")])).toBe("Node.js (HTTP, streams, timers)");
    expect(layerOf([f("JS:*anonymous2 :133:27", JIT)])).toBe("JS: generated (JSON writers, row readers)");
    expect(layerOf([f("llhttp__internal_execute", NODE), f("uv__read", NODE)])).toBe(
      "Node.js native (llhttp, libuv, V8 runtime)",
    );
  });

  it("prints µs per request per scenario, heaviest layer first, with the total", () => {
    const text = renderPerfLayers([
      {
        dialect: "sqlite",
        scenario: "me",
        requests: 10,
        usPerRequest: { "SQLite (queries, b-trees, page cache)": 5, "kernel: epoll": 1 },
      },
      {
        dialect: "sqlite",
        scenario: "sessions",
        requests: 10,
        usPerRequest: { "SQLite (queries, b-trees, page cache)": 9, "kernel: epoll": 2 },
      },
    ]);
    expect(text).toContain("sqlite sessions");
    expect(text.indexOf("SQLite (queries")).toBeLessThan(text.indexOf("kernel: epoll"));
    expect(text).toMatch(/total \(sampled on-CPU time\)\s+6\.0\s+11\.0/);
  });
});
