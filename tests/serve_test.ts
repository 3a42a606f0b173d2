import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Asset, createHandler, hostNames, ModelFile, startServer } from "../cli/serve.ts";
import { initConvNet } from "../lib/cnn/network.ts";
import { networkToSafetensors } from "../lib/io/model_file.ts";
import { modelToSafetensors } from "../lib/io/model_kinds.ts";
import { initNetwork } from "../lib/network.ts";
import { granted } from "./assert.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const canServe = granted({ name: "net", host: "127.0.0.1" }) && granted({ name: "read" });
const canRunCli = canServe && granted({ name: "run" }) && granted({ name: "write" });
const model = networkToSafetensors(initNetwork({ hidden: 8, seed: 1 }), {}) as Uint8Array<
  ArrayBuffer
>;

const encode = (text: string) => new TextEncoder().encode(text);
const assets = new Map<string, Asset>([
  ["/", { body: encode("<!doctype html>page"), type: "text/html; charset=utf-8" }],
  ["/style.css", { body: encode("body {}"), type: "text/css; charset=utf-8" }],
  ["/main.js", { body: encode("console.log(1)"), type: "text/javascript; charset=utf-8" }],
  ["/model.safetensors", { body: model, type: "application/octet-stream" }],
]);
const modelAsset = assets.get("/model.safetensors")!;
const handler = createHandler(assets, { current: () => Promise.resolve(modelAsset) }, [
  "127.0.0.1:8000",
  "localhost:8000",
]);
const request = (path: string, method = "GET", host = "127.0.0.1:8000") =>
  handler(new Request(`http://${host}${path}`, { method }));

Deno.test("the handler serves each asset with its content type, length and no-sniff header", async () => {
  for (const [path, asset] of assets) {
    const response = await request(path);
    assert.equal(response.status, 200, path);
    assert.equal(response.headers.get("content-type"), asset.type, path);
    assert.equal(response.headers.get("content-length"), String(asset.body.length), path);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), asset.body, path);
  }
  const head = await request("/model.safetensors", "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-length"), String(model.length));
  assert.equal(head.body, null);
});

Deno.test("the handler answers 404 for every other path: no listing, no files, no traversal", async () => {
  for (
    const path of [
      "/index.html",
      "/web/",
      "/web/main.ts",
      "/deno.json",
      "/models/mnist-mlp.safetensors",
      "/%2e%2e/deno.json",
      "/..%2f..%2fdeno.json",
      "/main.js/",
      "//main.js",
      "/MAIN.JS",
      "/favicon.ico",
    ]
  ) {
    const response = await request(path);
    assert.equal(response.status, 404, path);
    assert.equal(await response.text(), "not found\n", path);
  }
});

Deno.test("the handler answers only requests addressed to it: a rebinding page's Host gets 421", async () => {
  for (const host of ["evil.example:8000", "127.0.0.1:8001", "localhost", "127.0.0.2:8000"]) {
    const response = await request("/model.safetensors", "GET", host);
    assert.equal(response.status, 421, host);
    assert.equal(
      await response.text(),
      "misdirected request: this server answers only to 127.0.0.1:8000, localhost:8000\n",
    );
  }
  assert.equal((await request("/", "GET", "LOCALHOST:8000")).status, 200, "names ignore case");
});

Deno.test("hostNames: the address and, for loopback, localhost", () => {
  assert.deepEqual(hostNames("127.0.0.1", 8000), ["127.0.0.1:8000", "localhost:8000"]);
  assert.deepEqual(hostNames("::1", 9), ["[::1]:9", "localhost:9"]);
  assert.deepEqual(hostNames("192.168.1.5", 80), ["192.168.1.5:80"]);
});

Deno.test("every answer forbids framing and sniffing", async () => {
  for (const path of ["/", "/model.safetensors", "/nothing"]) {
    const response = await request(path);
    assert.match(response.headers.get("content-security-policy")!, /frame-ancestors 'none'/);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    await response.body?.cancel();
  }
});

Deno.test({
  name: "ModelFile serves a retrained model, and keeps the old one when the new file is broken",
  ignore: !canRunCli,
  fn: () =>
    withModelFile(async (path) => {
      const warnings: string[] = [];
      const served = await ModelFile.open(path, (message) => warnings.push(message));
      assert.deepEqual((await served.current()).body, model);
      const retrained = networkToSafetensors(initNetwork({ hidden: 5, seed: 2 }), {});
      await Deno.writeFile(path, retrained);
      assert.deepEqual((await served.current()).body, retrained);
      // A CNN file is a model too (the page runs either kind).
      const cnn = modelToSafetensors({ kind: "cnn", network: initConvNet({ seed: 3 }) }, {});
      await Deno.writeFile(path, cnn);
      assert.deepEqual((await served.current()).body, cnn);
      await Deno.writeFile(path, retrained);
      assert.deepEqual((await served.current()).body, retrained);
      await Deno.writeFile(path, new Uint8Array([1, 2, 3]));
      assert.deepEqual((await served.current()).body, retrained, "a broken file is not served");
      await served.current();
      assert.equal(warnings.length, 1, "the problem is reported once");
      assert.match(warnings[0], /still serving the previous model$/);
    }),
});

Deno.test("the handler answers 405 with Allow: GET, HEAD for other methods", async () => {
  for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
    const response = await request("/", method);
    assert.equal(response.status, 405, method);
    assert.equal(response.headers.get("allow"), "GET, HEAD", method);
    await response.body?.cancel();
  }
});

/**
 * Sends `bytes` as they are (no client to tidy up the path) and returns the status line of
 * the answer, or "closed" when the server closed or reset the connection without one.
 */
async function rawRequest(port: number, bytes: Uint8Array): Promise<string> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  const received: number[] = [];
  try {
    for (let sent = 0; sent < bytes.length;) sent += await connection.write(bytes.subarray(sent));
    const buffer = new Uint8Array(4096);
    for (let n; (n = await connection.read(buffer)) !== null;) {
      received.push(...buffer.subarray(0, n));
    }
  } catch (error) {
    // A server refusing a huge request may close before reading it all: the socket resets.
    if (
      !(error instanceof Deno.errors.ConnectionReset || error instanceof Deno.errors.BrokenPipe)
    ) {
      throw error;
    }
  } finally {
    connection.close();
  }
  const text = new TextDecoder().decode(new Uint8Array(received));
  return text === "" ? "closed" : text.split("\r\n")[0];
}

Deno.test({
  name: "the server answers malformed and hostile raw requests with 4xx and keeps serving",
  ignore: !canServe,
  async fn() {
    const { url, server } = await startServer({
      model: { current: () => Promise.resolve(modelAsset) },
      hostname: "127.0.0.1",
      port: 0,
    });
    try {
      const host = `127.0.0.1:${server.addr.port}`;
      const get = (target: string, extra = "") =>
        encode(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: close\r\n\r\n`);
      const cases: [string, Uint8Array, string[]][] = [
        ["../ in the path", get("/../../deno.json"), ["HTTP/1.1 404 Not Found"]],
        ["encoded ..", get("/%2e%2e/%2e%2e/deno.json"), ["HTTP/1.1 404 Not Found"]],
        ["encoded slashes", get("/..%2f..%2fweb%2fmain.ts"), ["HTTP/1.1 404 Not Found"]],
        ["backslashes", get("/..\\..\\deno.json"), ["HTTP/1.1 404 Not Found"]],
        ["absolute URL", get("http://elsewhere/../deno.json"), ["HTTP/1.1 404 Not Found"]],
        ["directory", get("/web/"), ["HTTP/1.1 404 Not Found"]],
        ["another host", encode("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), [
          "HTTP/1.1 421 Misdirected Request",
        ]],
        [
          "unknown method",
          encode(`BREW / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
          [
            "HTTP/1.1 405 Method Not Allowed",
          ],
        ],
        ["not HTTP", encode("HELLO THERE\r\n\r\n"), ["HTTP/1.1 400 Bad Request"]],
        ["binary junk", new Uint8Array([0, 1, 2, 255, 254, 13, 10, 13, 10]), [
          "HTTP/1.1 400 Bad Request",
        ]],
        ["NUL in the path", get("/\0"), ["HTTP/1.1 400 Bad Request"]],
        ["bad Content-Length", get("/", "Content-Length: abc\r\n"), ["HTTP/1.1 400 Bad Request"]],
        [
          "500 headers",
          get("/", Array.from({ length: 500 }, (_, i) => `X-H${i}: v\r\n`).join("")),
          ["HTTP/1.1 400 Bad Request"],
        ],
        ["a 1 MB header", get("/", `X-Big: ${"a".repeat(1 << 20)}\r\n`), [
          "HTTP/1.1 400 Bad Request",
          "closed",
        ]],
      ];
      for (const [name, bytes, expected] of cases) {
        const status = await rawRequest(server.addr.port, bytes);
        assert.ok(expected.includes(status), `${name}: got "${status}", expected ${expected}`);
      }
      const page = await fetch(url);
      assert.equal(page.status, 200, "still serving after the bad requests");
      assert.match(await page.text(), /<canvas id="pad"/);
      const served = await fetch(new URL("model.safetensors", url));
      assert.deepEqual(new Uint8Array(await served.arrayBuffer()), model);
      const script = await fetch(new URL("main.js", url));
      assert.equal(script.headers.get("content-type"), "text/javascript; charset=utf-8");
      const code = await script.text();
      assert.doesNotMatch(code, /^import /m, "the bundle has no imports left");
      // The page runs lib/ itself: the modules it uses must stay free of Deno APIs.
      assert.doesNotMatch(code, /\bDeno\./, "the bundle uses no Deno API");
      assert.match(code, /function forwardPropagation\(/, "the bundle holds lib/network.ts");
    } finally {
      await server.shutdown();
    }
  },
});

Deno.test({
  name: "a connection that never finishes its headers is closed at the deadline; others are served",
  ignore: !canServe,
  async fn() {
    const { url, server } = await startServer({
      model: { current: () => Promise.resolve(modelAsset) },
      hostname: "127.0.0.1",
      port: 0,
      headerTimeout: 300,
    });
    try {
      const slow = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
      await slow.write(encode(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.addr.port}\r\n`));
      const started = performance.now();
      const answer = await slow.read(new Uint8Array(64)).catch(() => null);
      const waited = performance.now() - started;
      slow.close();
      assert.equal(answer, null, "closed without an answer");
      assert.ok(waited >= 250 && waited < 5000, `closed after ${waited} ms`);
      assert.equal((await fetch(url)).status, 200, "a normal request is still served");
    } finally {
      await server.shutdown();
    }
  },
});

/** Starts `deno run -P=serve cli/serve.ts ...args` as `deno task serve` does. */
function serveProcess(...args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-P=serve", "--quiet", join(root, "cli", "serve.ts"), ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  });
}

async function withModelFile(fn: (path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "mnist-serve-" });
  try {
    await Deno.writeFile(join(dir, "model.safetensors"), model);
    await fn(join(dir, "model.safetensors"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "deno task serve without a model says how to train one, in one line, and exits 1",
  ignore: !canRunCli,
  async fn() {
    const missing = join(root, "models", "no-such-model.safetensors");
    const output = await serveProcess("--model", missing).output();
    assert.equal(output.code, 1);
    assert.equal(
      new TextDecoder().decode(output.stderr),
      `serve: error: ${missing}: model file does not exist: train one first with \`deno task train\`\n`,
    );
  },
});

Deno.test({
  name: "deno task serve prints the page's URL, serves it, and refuses a port in use",
  ignore: !canRunCli,
  fn: () =>
    withModelFile(async (path) => {
      const child = serveProcess("--port", "0", "--model", path).spawn();
      const lines = child.stdout.pipeThrough(new TextDecoderStream()).values();
      try {
        const { value: line } = await lines.next();
        const url = line?.match(/^Draw a digit at (http:\/\/127\.0\.0\.1:\d+\/) /)?.[1];
        assert.ok(url, `first line: ${line}`);
        const served = await fetch(new URL("model.safetensors", url));
        assert.deepEqual(new Uint8Array(await served.arrayBuffer()), model);

        const busy = await serveProcess("--port", new URL(url).port, "--model", path).output();
        assert.equal(busy.code, 2);
        assert.equal(
          new TextDecoder().decode(busy.stderr),
          `serve: error: --port ${
            new URL(url).port
          }: in use on 127.0.0.1; pick another (0: any free)\n`,
        );
      } finally {
        child.kill();
        await lines.return?.();
        await child.stderr.cancel();
        await child.status;
      }
    }),
});
