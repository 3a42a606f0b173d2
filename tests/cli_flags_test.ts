import assert from "node:assert/strict";
import { type FlagSpec, parseFlags } from "../cli/flags.ts";

const SPECS = {
  epochs: { kind: "integer", min: 1, help: "" },
  seed: { kind: "integer", min: 0, max: 2 ** 32 - 1, help: "" },
  lr: { kind: "number", min: 0, exclusiveMin: true, help: "" },
  report: { kind: "string", valueName: "FILE", help: "" },
  activation: { kind: "string", choices: ["relu", "sigmoid"], help: "" },
} as const satisfies Record<string, FlagSpec>;

Deno.test("integers are decimal digits only, in range", () => {
  for (
    const text of ["0x3", " 3", "3 ", "1e12", "3.0", "3.5", "", "+", "9007199254740993", "Infinity"]
  ) {
    assert.throws(() => parseFlags(["--epochs", text], SPECS), {
      name: "UsageError",
      message: `--epochs: expected an integer of at least 1, got '${text}'`,
    }, JSON.stringify(text));
  }
  assert.equal(parseFlags(["--epochs", "12"], SPECS).epochs, 12);
  assert.equal(parseFlags(["--epochs=007"], SPECS).epochs, 7);
});

Deno.test("seeds must fit the generator's 32 bits (seeds 2^32 apart were the same seed)", () => {
  for (const text of ["-1", "4294967296", "8589934593"]) {
    assert.throws(() => parseFlags(["--seed", text], SPECS), {
      message: `--seed: expected an integer of at least 0 and at most 4294967295, got '${text}'`,
    });
  }
  assert.equal(parseFlags(["--seed", "4294967295"], SPECS).seed, 4294967295);
});

Deno.test("numbers are decimal, with an optional fraction and exponent", () => {
  assert.equal(parseFlags(["--lr", "1e-3"], SPECS).lr, 0.001);
  assert.equal(parseFlags(["--lr", ".5"], SPECS).lr, 0.5);
  for (const text of ["0x1", " 0.1", "1e", "0.1.2", "NaN", "-0.1", "0"]) {
    assert.throws(() => parseFlags(["--lr", text], SPECS), {
      message: `--lr: expected a number greater than 0, got '${text}'`,
    }, text);
  }
});

Deno.test("a string flag needs a value that is not empty; a choice narrows its type", () => {
  assert.throws(() => parseFlags(["--report", ""], SPECS), {
    name: "UsageError",
    message: "--report: expected FILE, got ''",
  });
  assert.throws(() => parseFlags(["--report", "  "], SPECS), {
    message: "--report: expected FILE, got '  '",
  });
  const activation: "relu" | "sigmoid" | undefined =
    parseFlags(["--activation", "sigmoid"], SPECS).activation;
  assert.equal(activation, "sigmoid");
});
