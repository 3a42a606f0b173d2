/**
 * `deno task serve`: a local web server for the draw-a-digit page. It serves exactly four
 * things: the page, its stylesheet, the page's script (`web/main.ts` and the `lib/` code it uses,
 * bundled for the browser when the server starts) and the model file (re-read when it changes).
 * Any other path is 404, so there is no directory to list and no way out of it (`/../`,
 * `%2e%2e`, ...), and it answers only requests addressed to itself (see `createHandler`).
 *
 * @module
 */

import { UsageError } from "../lib/errors.ts";
import { describeAnyModel, modelFromSafetensors } from "../lib/io/model_kinds.ts";
import { readModelBytes } from "../lib/io/model_io.ts";
import { COMMON_FLAGS, type FlagSpec, formatHelp, parseFlags } from "./flags.ts";
import { type RunningServer, serveWithDeadline } from "./http_server.ts";
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
  ...COMMON_FLAGS,
} as const satisfies Record<string, FlagSpec>;

/** Only the page may run scripts and styles, and only its own: no inline code, no other hosts. */
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'self'; img-src 'self' data:; base-uri 'none'; " +
    "form-action 'none'; frame-ancestors 'none'",
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
 * The three files of the page by URL path, for {@linkcode createHandler} (the model is served
 * by a {@linkcode ModelFile}).
 *
 * @example
 * ```ts
 * const assets = await pageAssets();
 * assets.get("/")!.type; // "text/html; charset=utf-8"
 * ```
 */
export async function pageAssets(): Promise<Map<string, Asset>> {
  const webFile = (name: string) => Deno.readFile(new URL(`../web/${name}`, import.meta.url));
  return new Map([
    ["/", { body: await webFile("index.html"), type: "text/html; charset=utf-8" }],
    ["/style.css", { body: await webFile("style.css"), type: "text/css; charset=utf-8" }],
    ["/main.js", { body: await bundlePage(), type: "text/javascript; charset=utf-8" }],
  ]);
}

/** The model as the page gets it: the bytes, and when the file was last changed. */
export type ModelAsset = Asset & { modified?: Date };

/**
 * The model file the page runs, re-read whenever it changes on disk (a model retrained while
 * the server runs is served at the next page load). A changed file that is not a valid model is
 * not served: the previous one stays, and the problem is reported once through `warn`.
 *
 * @example
 * ```ts
 * const model = await ModelFile.open("models/mnist-mlp.safetensors");
 * (await model.current()).body.length; // the file's size in bytes
 * ```
 */
export class ModelFile {
  #asset: ModelAsset;
  #stamp: string;
  #reported = "";

  private constructor(
    readonly path: string,
    asset: ModelAsset,
    stamp: string,
    readonly warn: (message: string) => void,
  ) {
    this.#asset = asset;
    this.#stamp = stamp;
  }

  /** Reads and checks the model at `path`; a missing or invalid one is a DataError. */
  static async open(
    path: string,
    warn: (message: string) => void = console.error,
  ): Promise<ModelFile> {
    const body = await readModelBytes(path);
    const stamp = await ModelFile.#stampOf(path);
    modelFromSafetensors(body, path);
    const modified = (await Deno.stat(path)).mtime ?? undefined;
    return new ModelFile(path, { body, type: "application/octet-stream", modified }, stamp, warn);
  }

  /** The model to serve now: the file's new content if it changed and is valid. */
  async current(): Promise<ModelAsset> {
    const stamp = await ModelFile.#stampOf(this.path).catch(() => this.#stamp);
    if (stamp !== this.#stamp) {
      try {
        const next = await ModelFile.open(this.path, this.warn);
        this.#asset = next.#asset;
        this.#stamp = stamp;
      } catch (error) {
        const message = `${(error as Error).message}; still serving the previous model`;
        if (message !== this.#reported) this.warn(message);
        this.#reported = message;
      }
    }
    return this.#asset;
  }

  static async #stampOf(path: string): Promise<string> {
    const info = await Deno.stat(path);
    return `${info.mtime?.getTime()}:${info.size}:${info.ino}`;
  }
}

/**
 * The request handler. Only requests whose Host header names the server itself (`hosts`, e.g.
 * "127.0.0.1:8000" and "localhost:8000") are answered, with 421 otherwise: a page elsewhere
 * that points its own domain at 127.0.0.1 (DNS rebinding) sends its own name and gets nothing.
 * Then GET or HEAD of a path in `assets` or of `/model.safetensors` gets it, another method on
 * such a path gets 405, anything else 404. Paths are compared exactly, after the URL parser has
 * resolved `.` and `..` segments, so nothing else is ever reachable.
 *
 * @example
 * ```ts
 * const handler = createHandler(assets, model, ["127.0.0.1:8000"]);
 * (await handler(new Request("http://127.0.0.1:8000/secret.txt"))).status; // 404
 * ```
 */
export function createHandler(
  assets: Map<string, Asset>,
  model: { current(): Promise<ModelAsset> },
  hosts: readonly string[],
): (request: Request) => Promise<Response> {
  return async (request) => {
    // A request built in code (tests) has no Host header; its URL says where it goes.
    const host = (request.headers.get("host") ?? new URL(request.url).host).toLowerCase();
    if (!hosts.includes(host)) {
      return reply(421, `misdirected request: this server answers only to ${hosts.join(", ")}`);
    }
    const path = new URL(request.url).pathname;
    const asset: ModelAsset | undefined = path === "/model.safetensors"
      ? await model.current()
      : assets.get(path);
    if (asset === undefined) return reply(404, "not found");
    if (request.method !== "GET" && request.method !== "HEAD") {
      return reply(405, "method not allowed: use GET", { allow: "GET, HEAD" });
    }
    return new Response(request.method === "HEAD" ? null : asset.body, {
      headers: {
        ...SECURITY_HEADERS,
        "content-type": asset.type,
        "content-length": `${asset.body.length}`,
        ...(asset.modified ? { "last-modified": asset.modified.toUTCString() } : {}),
      },
    });
  };
}

/**
 * The Host header values that name a server listening on `hostname`:`port`: the address
 * itself, and `localhost` for a loopback address.
 *
 * @example
 * ```ts
 * hostNames("127.0.0.1", 8000); // ["127.0.0.1:8000", "localhost:8000"]
 * ```
 */
export function hostNames(hostname: string, port: number): string[] {
  const address = hostname.includes(":") ? `[${hostname}]` : hostname;
  const loopback = hostname === "::1" || hostname.startsWith("127.") || hostname === "localhost";
  return [...new Set([`${address}:${port}`, ...(loopback ? [`localhost:${port}`] : [])])];
}

function reply(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

/** Where {@linkcode startServer} listens, and the model it serves. */
export interface ServeOptions {
  model: { current(): Promise<ModelAsset> };
  hostname: string;
  port: number;
  /** Milliseconds a client has to send its request headers (default 10 s). */
  headerTimeout?: number;
}

/**
 * Starts the server; resolves once it listens, with the page's URL. Stop it with
 * `server.shutdown()`. A connection that has not sent its request headers within
 * `headerTimeout` is closed (see `http_server.ts`).
 *
 * @example
 * ```ts
 * const model = await ModelFile.open("models/mnist-mlp.safetensors");
 * const { url, server } = await startServer({ model, hostname: "127.0.0.1", port: 0 });
 * console.log(url); // http://127.0.0.1:41231/
 * await server.shutdown();
 * ```
 */
export async function startServer(
  options: ServeOptions,
): Promise<{ url: string; server: RunningServer }> {
  // The port is known only once listening (0 picks one), and with it the names to answer to.
  const names: string[] = [];
  const handler = createHandler(await pageAssets(), options.model, names);
  const server = serveWithDeadline({
    hostname: options.hostname,
    port: options.port,
    headerTimeout: options.headerTimeout ?? 10_000,
    handler,
    onError: () => reply(500, "internal server error"),
  });
  const { hostname, port } = server.addr;
  names.push(...hostNames(hostname, port));
  return { url: `http://${names[0]}/`, server };
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
  // A missing or broken file is refused with one line saying what to do.
  const model = await ModelFile.open(modelPath);
  const { model: loaded, metadata } = modelFromSafetensors((await model.current()).body, modelPath);
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
    `Draw a digit at ${started.url} (model ${modelPath}: ${describeAnyModel(loaded, metadata)}). ` +
      "Ctrl+C stops the server.",
  );
  await started.server.finished;
}

if (import.meta.main) await runCommand("serve", serveCommand);
