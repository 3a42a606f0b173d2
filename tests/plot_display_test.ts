import assert from "node:assert/strict";
import { CHROMIUM_INSTALL_HINT, chromiumAvailable } from "../lib/browser/chromium.ts";
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

Deno.test("LiveChart replaces its output each redraw (clear_output wait, then a fresh display), at most one per minInterval", async () => {
  let clock = 0;
  const messages: string[] = [];
  const display: DisplayFunction = (value, options) => {
    assert.equal(options, undefined); // a fresh output each time: no display_id, no update
    assert.equal(typeof (value as Displayable)[JUPYTER_DISPLAY], "function");
    messages.push("display");
    clock += 10; // this redraw took 10 ms
    return Promise.resolve();
  };
  const broadcast = (msgType: string, content: Record<string, unknown>) => {
    messages.push(`${msgType} ${JSON.stringify(content)}`);
    return Promise.resolve();
  };
  const live = new LiveChart({ display, broadcast, minInterval: 100, now: () => clock });
  let built = 0;
  const build = () => (built++, figure);
  await live.update(build); // t = 0: the first output, nothing to clear
  clock = 109;
  await live.update(build); // 99 ms after the first redraw ended: dropped, never built
  clock = 110;
  await live.update(build); // 100 ms after: sent
  await live.finish(figure); // always sent
  assert.equal(built, 2);
  assert.deepEqual(messages, [
    "display",
    'clear_output {"wait":true}',
    "display",
    'clear_output {"wait":true}',
    "display",
  ]);
});

Deno.test("LiveChart waits four times a slow redraw's duration before the next one, the first excepted", async () => {
  let clock = 0;
  let sent = 0;
  const durations = [5000, 200, 200]; // the first redraw also started the renderer
  const display: DisplayFunction = () => {
    clock += durations[sent++];
    return Promise.resolve();
  };
  const live = new LiveChart({
    display,
    broadcast: async () => {},
    minInterval: 100,
    now: () => clock,
  });
  await live.update(figure); // ends at t = 5000: only minInterval counts after the first
  clock = 5100;
  await live.update(figure); // sent, ends at 5300: the next is allowed 800 ms later
  clock = 6099;
  await live.update(figure); // dropped
  clock = 6100;
  await live.update(figure); // sent
  assert.equal(sent, 3);
});

Deno.test("LiveChart redraws carry the PNG with the plotly JSON", async () => {
  const bundles: MediaBundle[] = [];
  const display: DisplayFunction = async (value) => {
    bundles.push(await (value as Displayable)[JUPYTER_DISPLAY]());
  };
  try {
    const live = new LiveChart({ display, broadcast: async () => {}, minInterval: 0 });
    await live.update(figure);
    await live.finish(figure);
  } finally {
    await closeRenderer();
  }
  const png = browser ? ["image/png"] : [];
  for (const bundle of bundles) {
    assert.deepEqual(Object.keys(bundle).sort(), [
      "application/vnd.plotly.v1+json",
      ...png,
      "text/plain",
    ]);
  }
});

Deno.test("outside the kernel a LiveChart sends nothing and does not throw", async () => {
  const live = new LiveChart();
  await live.update(figure);
  await live.finish(figure);
});
