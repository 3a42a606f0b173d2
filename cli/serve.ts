/**
 * `deno task serve`: a local web server for the draw-a-digit page. It serves exactly four
 * things: the page, its stylesheet, the page's script (`web/main.ts` and the `lib/` code it uses,
 * bundled for the browser when the server starts) and the model file. Any other path is 404,
 * so there is no directory to list and no way out of it (`/../`, `%2e%2e`, ...).
 *
 * @module
 */

import { UsageError } from "../lib/errors.ts";
import { loadModel } from "../lib/model_io.ts";
import { type FlagSpec, formatHelp, parseFlags } from "./flags.ts";
import { runCommand } from "./main.ts";

/** A file the server can send: its bytes and its Content-Type. */
export interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

const FLAGS = {
  port: {
    kind: "integer",
    min: 0,
    valueName: "N",
    help: "port; 0 picks a free one",
    defaultText: "8000",
  },
  host: {
    kind: "string",
    valueName: "H",
    help: "address to listen on (the serve permission set allows loopback only)",
    defaultText: "127.0.0.1",
  },
  model: {
    kind: "string",
    valueName: "FILE",
    help: "the model the page runs",
    defaultText: "models/mnist-mlp.safetensors",
  },
  debug: { kind: "boolean", help: "print stack traces of errors" },
  help: { kind: "boolean", help: "show this help" },
} as const satisfies Record<string, FlagSpec>;

/** Only the page may run scripts and styles, and only its own: no inline code, no other hosts. */
const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  // A model retrained while the server runs is new bytes: never let the browser reuse old ones.
  "cache-control": "no-store",
};

let bundled: Promise<Uint8Array<ArrayBuffer>> | undefined;

/**
 * `web/main.ts` and everything it imports from `lib/`, as one browser script. Bundled once per
 * process, on first use: a second server in the same process reuses it.
 *
 * @example
 * ```ts
 * const script = await bundlePage(); // JavaScript bytes, no imports left
 * ```
 */
export function bundlePage(): Promise<Uint8Array<ArrayBuffer>> {
  bundled ??= (async () => {
    const entry = new URL("../web/main.ts", import.meta.url);
    const result = await Deno.bundle({
      entrypoints: [entry.href],
      platform: "browser",
      format: "esm",
      write: false,
    });
    const file = result.outputFiles?.[0];
    if (!result.success || file === undefined) {
      const errors = result.errors.map((error) => error.text).join("; ");
      throw new Error(`bundling ${entry.pathname} failed: ${errors}`);
    }
    return new TextEncoder().encode(file.text());
  })();
  return bundled;
}

/**
 * The four files of the page by URL path, for {@linkcode createHandler}.
 *
 * @example
 * ```ts
 * const assets = await pageAssets(await Deno.readFile("models/mnist-mlp.safetensors"));
 * assets.get("/model.safetensors")!.type; // "application/octet-stream"
 * ```
 */
export async function pageAssets(model: Uint8Array<ArrayBuffer>): Promise<Map<string, Asset>> {
  const webFile = (name: string) => Deno.readFile(new URL(`../web/${name}`, import.meta.url));
  return new Map([
    ["/", { body: await webFile("index.html"), type: "text/html; charset=utf-8" }],
    ["/style.css", { body: await webFile("style.css"), type: "text/css; charset=utf-8" }],
    ["/main.js", { body: await bundlePage(), type: "text/javascript; charset=utf-8" }],
    ["/model.safetensors", { body: model, type: "application/octet-stream" }],
  ]);
}

/**
 * The request handler: GET or HEAD of a path in `assets` gets it, another method on such a path
 * gets 405, anything else 404. Paths are compared exactly, after the URL parser has resolved
 * `.` and `..` segments, so nothing outside `assets` is ever reachable.
 *
 * @example
 * ```ts
 * const handler = createHandler(assets);
 * (await handler(new Request("http://localhost/secret.txt"))).status; // 404
 * ```
 */
export function createHandler(assets: Map<string, Asset>): (request: Request) => Response {
  return (request) => {
    const asset = assets.get(new URL(request.url).pathname);
    if (asset === undefined) return reply(404, "not found");
    if (request.method !== "GET" && request.method !== "HEAD") {
      return reply(405, "method not allowed: use GET", { allow: "GET, HEAD" });
    }
    return new Response(request.method === "HEAD" ? null : asset.body, {
      headers: {
        ...SECURITY_HEADERS,
        "content-type": asset.type,
        "content-length": `${asset.body.length}`,
      },
    });
  };
}

function reply(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

/** Where {@linkcode startServer} listens, and the model it serves. */
export interface ServeOptions {
  model: Uint8Array<ArrayBuffer>;
  hostname: string;
  port: number;
  signal?: AbortSignal;
}

/**
 * Starts the server; resolves once it listens, with the page's URL. Stop it with the `signal`
 * or `server.shutdown()`.
 *
 * @example
 * ```ts
 * const { url, server } = await startServer({ model, hostname: "127.0.0.1", port: 0 });
 * console.log(url); // http://127.0.0.1:41231/
 * await server.shutdown();
 * ```
 */
export async function startServer(
  options: ServeOptions,
): Promise<{ url: string; server: Deno.HttpServer<Deno.NetAddr> }> {
  const handler = createHandler(await pageAssets(options.model));
  const server = Deno.serve({
    hostname: options.hostname,
    port: options.port,
    signal: options.signal,
    onListen: () => {}, // we print our own line
    onError: () => reply(500, "internal server error"),
  }, handler);
  const { hostname, port } = server.addr;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return { url: `http://${host}:${port}/`, server };
}

/** Parses the flags, checks the model, serves until stopped; see `deno task serve --help`. */
export async function serveCommand(args: string[]): Promise<void> {
  const flags = parseFlags(args, FLAGS);
  if (flags.help) {
    console.log(formatHelp("deno task serve [flags]", "Serves the draw-a-digit page.", FLAGS));
    return;
  }
  const port = flags.port ?? 8000;
  if (port > 65535) throw new UsageError(`--port: expected an integer up to 65535, got '${port}'`);
  const hostname = flags.host ?? "127.0.0.1";
  const modelPath = flags.model ?? "models/mnist-mlp.safetensors";
  // loadModel rejects a missing or broken file with one line saying what to do.
  const { metadata } = await loadModel(modelPath);
  const model = await Deno.readFile(modelPath);
  let started;
  try {
    started = await startServer({ model, hostname, port });
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new UsageError(`--port ${port}: in use on ${hostname}; pick another (0: any free)`);
    }
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      throw new UsageError(
        `--host ${hostname}: not allowed; the serve task listens on loopback only (for other ` +
          `addresses: deno run --allow-read --allow-net cli/serve.ts --host ${hostname})`,
      );
    }
    throw error;
  }
  console.log(
    `Draw a digit at ${started.url} (model ${modelPath}: ${metadata.architecture} ` +
      `${metadata.activation}). Ctrl+C stops the server.`,
  );
  await started.server.finished;
}

if (import.meta.main) await runCommand("serve", serveCommand);
