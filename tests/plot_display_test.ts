import assert from "node:assert/strict";
import { CHROMIUM_INSTALL_HINT, chromiumAvailable } from "../lib/chromium.ts";
import {
  closeRenderer,
  type Displayable,
  type DisplayFunction,
  figureBundle,
  figureText,
  JUPYTER_DISPLAY,
  kernelDisplay,
  type MediaBundle,
  renderPng,
  show,
} from "../lib/plot/display.ts";
import { barChart, lineChart } from "../lib/plot/figures.ts";
import { LiveChart } from "../lib/plot/live.ts";

const figure = lineChart([{ name: "ReLU", x: [0, 1], y: [0, 1] }], { title: "Activations" });
const browser = chromiumAvailable();
const browserIgnored = browser ? "" : ` (ignored: ${CHROMIUM_INSTALL_HINT})`;

Deno.test("figureText names the title and the traces", () => {
  assert.equal(figureText(figure), 'Figure "Activations": scatter "ReLU"');
  assert.equal(figureText(barChart(["a"], [1])), "Figure: bar");
});

Deno.test("show() is displayable by the kernel: plotly JSON without undefined fields, and text", async () => {
  const displayable = show(barChart(["a"], [1]), { png: false });
  const bundle = await displayable
    [
      Symbol.for("Jupyter.display") as typeof displayable extends Record<infer K, unknown> ? K
        : never
    ]();
  assert.deepEqual(Object.keys(bundle).sort(), ["application/vnd.plotly.v1+json", "text/plain"]);
  const plotly = bundle["application/vnd.plotly.v1+json"] as { data: Record<string, unknown>[] };
  assert.equal("text" in plotly.data[0], false); // barChart leaves `text` undefined without labels
  assert.deepEqual(plotly.data[0].y, [1]);
});

Deno.test("outside the Jupyter kernel there is no kernel display function", () => {
  assert.equal(kernelDisplay(), undefined);
});

/** Width and height from a PNG's IHDR chunk (bytes 16..23, big-endian). */
function pngSize(base64: string): [number, number] {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], "PNG signature");
  const view = new DataView(bytes.buffer);
  return [view.getUint32(16), view.getUint32(20)];
}

Deno.test({
  name:
    `renderPng draws the figure in Chromium at the layout's size (default 760×420)${browserIgnored}`,
  ignore: !browser,
  async fn() {
    try {
      assert.deepEqual(pngSize((await renderPng(figure))!), [760, 420]);
      const sized = { ...figure, layout: { ...figure.layout, width: 300, height: 200 } };
      assert.deepEqual(pngSize((await renderPng(sized))!), [300, 200]);
      const bundle = await figureBundle(figure);
      assert.deepEqual(pngSize(bundle["image/png"] as string), [760, 420]);
    } finally {
      await closeRenderer();
    }
  },
});

Deno.test("LiveChart shows once, then updates the same display id, throttled; finish always sends", async () => {
  const calls: { update?: boolean; display_id?: string; bundle?: MediaBundle }[] = [];
  const display: DisplayFunction = async (value, options) => {
    const displayable = value as Displayable;
    // Updates carry no PNG, so their bundle is cheap to look at; finish's would start Chromium.
    const bundle = options?.update ? undefined : await displayable[JUPYTER_DISPLAY]();
    calls.push({ update: options?.update, display_id: options?.display_id, bundle });
  };
  const live = new LiveChart({ display, minInterval: 60_000 });
  let built = 0;
  const build = () => (built++, figure);
  await live.update(build);
  await live.update(build); // within the minimum interval: dropped, and never built
  await live.finish(figure);
  assert.equal(built, 1);
  assert.deepEqual(calls.map((c) => [c.update, c.display_id]), [
    [false, live.displayId],
    [true, live.displayId],
  ]);
  assert.deepEqual(Object.keys(calls[0].bundle!).sort(), [
    "application/vnd.plotly.v1+json",
    "text/plain",
  ]);
});
