/**
 * `deno task bench` (first half): runs `deno bench` on bench/kernels.bench.ts and prints each
 * benchmark's mean time and GFLOP/s (from the "[N MFLOP]" at the end of its name) as a
 * markdown table.
 *
 * @module
 */

interface BenchResult {
  group: string | null;
  name: string;
  results: { ok?: { avg: number; n: number } }[];
}

const output = await new Deno.Command(Deno.execPath(), {
  args: [
    "bench",
    "-A",
    `--lock=${new URL("./deno.lock", import.meta.url).pathname}`,
    "--v8-flags=--no-maglev",
    "--json",
    new URL("./kernels.bench.ts", import.meta.url).pathname,
  ],
  stdout: "piped",
  stderr: "inherit",
}).output();
if (!output.success) Deno.exit(1);
const { benches } = JSON.parse(new TextDecoder().decode(output.stdout)) as {
  benches: BenchResult[];
};

console.log("| group | kernel | mean time | GFLOP/s |");
console.log("| --- | --- | ---: | ---: |");
for (const bench of benches) {
  const result = bench.results[0]?.ok;
  const mflop = Number(bench.name.match(/\[([\d.]+) MFLOP\]$/)?.[1]);
  if (!result) {
    console.log(`| ${bench.group} | ${bench.name} | failed | |`);
    continue;
  }
  const micros = result.avg / 1000;
  const gflops = (mflop * 1e6) / result.avg; // FLOP per ns = GFLOP/s
  const name = bench.name.replace(/ \[[\d.]+ MFLOP\]$/, "");
  console.log(`| ${bench.group} | ${name} | ${micros.toFixed(1)} µs | ${gflops.toFixed(2)} |`);
}
