/**
 * Scalar automatic differentiation: the idea behind PyTorch's `loss.backward()`, one number at a
 * time. Every {@linkcode Value} remembers the values it was computed from and the local
 * derivative of each; `backward()` visits the graph from the output back to the inputs (in
 * reverse topological order) and applies the chain rule: each input's `grad` collects
 * output.grad × local derivative, summed over every path. lib/backprop.ts does the same for
 * whole matrices, with the local derivatives worked out by hand.
 *
 * @module
 */

/**
 * A number that remembers how it was made, so that `backward()` can fill in d(output)/d(self)
 * in `grad` for every value it depends on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const w = new Value(2), x = new Value(3), b = new Value(-1);
 * const y = w.mul(x).add(b).relu();
 * assert.equal(y.data, 5); // relu(2·3 − 1)
 * y.backward();
 * assert.deepEqual([w.grad, x.grad, b.grad], [3, 2, 1]); // ∂y/∂w = x, ∂y/∂x = w, ∂y/∂b = 1
 * ```
 */
export class Value {
  /** d(output)/d(this) after the output's `backward()`; 0 before. */
  grad = 0;

  /**
   * @param data the number
   * @param parents the values it was computed from, each with ∂this/∂parent
   */
  constructor(
    readonly data: number,
    readonly parents: readonly { value: Value; local: number }[] = [],
  ) {}

  /** this + other: both local derivatives are 1. */
  add(other: Value | number): Value {
    const o = other instanceof Value ? other : new Value(other);
    return new Value(this.data + o.data, [{ value: this, local: 1 }, { value: o, local: 1 }]);
  }

  /** this · other: ∂/∂this = other, ∂/∂other = this. */
  mul(other: Value | number): Value {
    const o = other instanceof Value ? other : new Value(other);
    return new Value(this.data * o.data, [
      { value: this, local: o.data },
      { value: o, local: this.data },
    ]);
  }

  /** max(0, this): local derivative 1 where the input is positive, else 0. */
  relu(): Value {
    return new Value(Math.max(0, this.data), [{ value: this, local: this.data > 0 ? 1 : 0 }]);
  }

  /**
   * Sets `grad` = d(this)/d(v) on every value v this depends on (this.grad = 1). A value used
   * twice gets the sum of both paths, which is why the grads accumulate (`+=`) and why each
   * value must be finished (all its users visited) before it passes its grad on.
   */
  backward(): void {
    const order: Value[] = [];
    const visited = new Set<Value>();
    const visit = (v: Value) => {
      if (visited.has(v)) return;
      visited.add(v);
      for (const { value } of v.parents) visit(value);
      order.push(v); // after all its parents: order is topological
    };
    visit(this);
    for (const v of order) v.grad = 0;
    this.grad = 1;
    for (const v of order.reverse()) {
      for (const { value, local } of v.parents) value.grad += v.grad * local;
    }
  }
}
