/// <reference lib="dom" />
// DOM types for the functions that run inside the page (page.evaluate).
import assert from "node:assert/strict";
import { startServer } from "../cli/serve.ts";
import {
  CHROMIUM_INSTALL_HINT,
  CHROMIUM_PERMISSIONS,
  chromiumAvailable,
  launchChromium,
  type Page,
} from "../lib/browser/chromium.ts";
import { denseInputs, IMAGE_SIDE, PIXELS } from "../lib/data/dataset.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import { classProbabilities, type Model, modelToSafetensors } from "../lib/io/model_kinds.ts";
import { initConvNet } from "../lib/cnn/network.ts";
import { forwardPropagation, initNetwork } from "../lib/network.ts";
import { createOptimizer } from "../lib/optimizers.ts";
import { inkFromRgba, preprocess } from "../lib/drawing/preprocess.ts";
import { train } from "../lib/train.ts";
import { assertAllClose, granted } from "./assert.ts";

const permitted = [...CHROMIUM_PERMISSIONS, { name: "net", host: "127.0.0.1" } as const]
  .every(granted);
const ready = permitted && chromiumAvailable();
const hint = permitted && !ready ? ` (ignored: ${CHROMIUM_INSTALL_HINT})` : "";

type Point = [number, number];

/** Serves `model` on a free loopback port, opens the page once the model loaded, runs `fn`. */
async function withPage(model: Model, fn: (page: Page) => Promise<void>): Promise<void> {
  const bytes = modelToSafetensors(model, {}) as Uint8Array<ArrayBuffer>;
  const served = { body: bytes, type: "application/octet-stream" };
  const { url, server } = await startServer({
    model: { current: () => Promise.resolve(served) },
    hostname: "127.0.0.1",
    port: 0,
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(url);
    await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
    await fn(page);
    assert.deepEqual(errors, [], "no errors in the page");
  } finally {
    await browser.close();
    await server.shutdown();
  }
}

/** Where the pad's drawing area starts, in page coordinates (inside its border). */
function padOrigin(page: Page): Promise<Point> {
  return page.$eval("#pad", (pad) => {
    const rect = pad.getBoundingClientRect();
    return [rect.left + pad.clientLeft, rect.top + pad.clientTop] as Point;
  });
}

/**
 * Drags the mouse through `points` (pad pixels) from `origin`: one stroke, a tap for one point.
 * Real input events, as from a user: playwright sends them through the browser's input pipeline.
 */
async function stroke(page: Page, [left, top]: Point, points: Point[]): Promise<void> {
  await page.mouse.move(left + points[0][0], top + points[0][1]);
  await page.mouse.down();
  for (const [x, y] of points.slice(1)) await page.mouse.move(left + x, top + y);
  await page.mouse.up();
}

/** What the page shows after its last update: the 28×28 input, the probabilities, the digit. */
async function shown(page: Page) {
  // An update may still be waiting for the next animation frame: let two frames pass.
  await page.evaluate(() =>
    new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
  );
  return await page.evaluate(() => {
    const seen = document.querySelector<HTMLCanvasElement>("#seen")!;
    const rgba = seen.getContext("2d")!.getImageData(0, 0, 28, 28).data;
    return {
      seen: Array.from({ length: 784 }, (_, p) => rgba[4 * p]),
      probabilities: Array.from(document.querySelectorAll<HTMLElement>("#bars li"))
        .map((row) => Number(row.dataset.probability ?? NaN)),
      // How much of each bar is filled, as laid out on the screen.
      bars: Array.from(document.querySelectorAll<HTMLElement>("#bars .bar")).map((bar) =>
        bar.querySelector(".fill")!.getBoundingClientRect().width /
        bar.getBoundingClientRect().width
      ),
      digit: document.querySelector<HTMLElement>("#prediction")!.dataset.digit,
    };
  });
}

/** The pad's RGBA pixels, sent as base64: as a JSON array of numbers they take seconds. */
async function padPixels(page: Page): Promise<Uint8Array> {
  const base64 = await page.$eval(
    "#pad",
    (pad: HTMLCanvasElement) =>
      new Uint8Array(pad.getContext("2d")!.getImageData(0, 0, pad.width, pad.height).data.buffer)
        .toBase64(),
  );
  return Uint8Array.fromBase64(base64);
}

/** The rows and columns of a 28×28 image that hold ink, and the image as rows. */
function inkExtent(seen: number[]) {
  const rows = Array.from({ length: IMAGE_SIDE }, (_, y) => seen.slice(y * 28, y * 28 + 28));
  const inked = (values: number[]) => values.flatMap((value, i) => value > 0 ? [i] : []);
  const columns = Array.from({ length: IMAGE_SIDE }, (_, x) => rows.map((row) => row[x]));
  return {
    rows,
    inkedRows: inked(rows.map((row) => Math.max(...row))),
    inkedColumns: inked(columns.map((column) => Math.max(...column))),
  };
}

Deno.test({
  name:
    `the page turns a bar drawn with the mouse or a finger into the expected 28×28 input, while drawing too; Clear empties it${hint}`,
  ignore: !ready,
  fn: () =>
    withPage({ kind: "mlp", network: initNetwork({ seed: 1 }) }, async (page) => {
      // A stroke 20 wide from x 80 to 190 at y 140 inks x 70..200 (round caps), y 130..150: a
      // 130×20 box, scaled by 20/130 to 20 columns × round(3.08) = 3 rows, 6.5 × 6.67 pixels
      // each. The mass centre's row, 1, moves to 14: rows 13..15. Along the bar the centre is
      // 9.5 give or take the anti-aliasing, so the 20 columns start at 4 or 5. The end columns
      // hold the round cap beyond 3.5 pixels from its centre: a circle segment of area
      // 100·acos(0.35) − 3.5·√(100 − 3.5²) = 88.5 of 6.5 × 20 pixels, 255 · 88.5/130 = 173.6 on
      // average; columns 2..17 lie wholly inside the stroke.
      const check = (seen: number[], across: boolean) => {
        const transpose = (values: number[]) =>
          values.map((_, p) => values[(p % 28) * 28 + Math.floor(p / 28)]);
        const { rows, inkedRows, inkedColumns } = inkExtent(across ? seen : transpose(seen));
        assert.deepEqual(inkedRows, [13, 14, 15]);
        const start = inkedColumns[0];
        assert.ok(start === 4 || start === 5, `columns ${inkedColumns}`);
        assert.deepEqual(inkedColumns, Array.from({ length: 20 }, (_, i) => start + i));
        const column = (i: number) => [13, 14, 15].map((y) => rows[y][start + i]);
        for (let i = 2; i <= 17; i++) assert.ok(Math.min(...column(i)) >= 250, `column ${i}`);
        for (const end of [0, 19]) {
          const mean = column(end).reduce((a, b) => a + b) / 3;
          assert.ok(Math.abs(mean - 173.6) < 8, `end column ${end}: mean ${mean}`);
        }
      };
      const origin = await padOrigin(page);
      // The page updates while the button is still down, not only when the stroke ends.
      await page.mouse.move(origin[0] + 80, origin[1] + 140);
      await page.mouse.down();
      await page.mouse.move(origin[0] + 190, origin[1] + 140);
      const whileDrawing = await shown(page);
      check(whileDrawing.seen, true);
      assert.notEqual(whileDrawing.digit, undefined, "a prediction while drawing");
      await page.mouse.up();
      check((await shown(page)).seen, true);

      await page.click("#clear");
      const cleared = await shown(page);
      assert.ok(cleared.seen.every((value) => value === 0), "Clear empties the 28×28 image");
      assert.equal(cleared.digit, undefined, "and the prediction");

      // The same bar upright, drawn with a finger: touch events enter the browser's input
      // pipeline like the mouse's (playwright-core has no touch drag, so they go through CDP).
      const cdp = await page.context().newCDPSession(page);
      const touch = (type: "touchStart" | "touchMove", y: number) =>
        cdp.send("Input.dispatchTouchEvent", {
          type,
          touchPoints: [{ x: origin[0] + 140, y: origin[1] + y }],
        });
      await touch("touchStart", 80);
      await touch("touchMove", 135);
      await touch("touchMove", 190);
      await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
      check((await shown(page)).seen, false);
    }),
});

/** The ink of an MNIST image as mouse strokes: each run of dark pixels in a row, 10× larger. */
function strokesOf(image: Uint8Array): Point[][] {
  const strokes: Point[][] = [];
  const centre = (i: number) => 10 * i + 5;
  for (let y = 0; y < IMAGE_SIDE; y++) {
    for (let x = 0; x < IMAGE_SIDE; x++) {
      if (image[y * IMAGE_SIDE + x] < 128) continue;
      let end = x;
      while (end + 1 < IMAGE_SIDE && image[y * IMAGE_SIDE + end + 1] >= 128) end++;
      strokes.push(
        end === x ? [[centre(x), centre(y)]] : [[centre(x), centre(y)], [centre(end), centre(y)]],
      );
      x = end;
    }
  }
  return strokes;
}

Deno.test({
  name:
    `the page recognises MNIST test digits, one of each, traced on the pad with the mouse${hint}`,
  ignore: !ready,
  async fn() {
    // A model trained here, in seconds, on MNIST's 60,000 training images (about 97 % on the
    // test set): the test must not depend on models/ existing.
    const [trainSet, testSet] = await Promise.all([loadMnist("train"), loadMnist("test")]);
    const network = initNetwork({ seed: 1 });
    await train(network, trainSet, {
      epochs: 2,
      batchSize: 128,
      optimizer: createOptimizer("momentum", { learningRate: 0.1 }),
      seed: 1,
    });
    // The first test image of each digit: every input event costs a round trip to the browser
    // (about 100 per digit), so ten digits, one per class, rather than hundreds.
    const labels = Array.from(testSet.labels!);
    const traced = Array.from({ length: 10 }, (_, digit) => labels.indexOf(digit));

    await withPage({ kind: "mlp", network }, async (page) => {
      const origin = await padOrigin(page);
      const misread: string[] = [];
      for (const n of traced) {
        await page.click("#clear");
        for (const points of strokesOf(testSet.images.subarray(n * PIXELS, (n + 1) * PIXELS))) {
          await stroke(page, origin, points);
        }
        const { seen, probabilities, bars, digit } = await shown(page);
        // The bundled code computes what lib/ computes in Deno, from the same pad pixels.
        const pad = await padPixels(page);
        const expectedSeen = preprocess({ width: 280, height: 280, data: inkFromRgba(pad) });
        assert.deepEqual(seen, Array.from(expectedSeen), `test image ${n}: the 28×28 input`);
        const X = denseInputs({ images: expectedSeen, count: 1, source: "pad" });
        assertAllClose(probabilities, forwardPropagation(network, X).A2.data, { absolute: 1e-6 });
        assertAllClose(bars, probabilities, { absolute: 0.01, message: "bar lengths" });
        if (Number(digit) !== labels[n]) {
          misread.push(`test image ${n}: ${labels[n]} read as ${digit}`);
        }
      }
      console.log(
        `${10 - misread.length} of 10 traced digits recognised; misread: ${
          misread.join(", ") || "none"
        }`,
      );
      assert.ok(misread.length <= 2, `misread ${misread.length} of 10: ${misread.join(", ")}`);
    });
  },
});

Deno.test({
  name: `the page runs a CNN file in the browser, says so, and computes what lib/cnn does${hint}`,
  ignore: !ready,
  fn: () =>
    withPage({ kind: "cnn", network: initConvNet({ seed: 1 }) }, async (page) => {
      assert.match(await page.textContent("#status") ?? "", /conv5x5x8-pool2-conv5x5x16.* CNN/);
      const origin = await padOrigin(page);
      await stroke(page, origin, [[140, 40], [140, 240]]); // a "1"
      const { seen, probabilities } = await shown(page);
      const pad = await padPixels(page);
      const expectedSeen = preprocess({ width: 280, height: 280, data: inkFromRgba(pad) });
      assert.deepEqual(seen, Array.from(expectedSeen));
      const drawing = { images: expectedSeen, count: 1, source: "pad" };
      const expected = classProbabilities(
        { kind: "cnn", network: initConvNet({ seed: 1 }) },
        drawing,
        [0],
      );
      assertAllClose(probabilities, expected.data, { absolute: 1e-6 });
    }),
});
