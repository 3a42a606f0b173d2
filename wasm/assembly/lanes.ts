/**
 * AssemblyScript: sums over vector lanes in a fixed order, so that a result never depends
 * on how a loop was split.
 */

/** The four lanes of s added in a fixed order. */
@inline export function lanes(s: v128): f32 {
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) +
    f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}

/** x·y over n f32, four lanes at a time, the lanes added in a fixed order at the end. */
@inline export function dot(x: usize, y: usize, n: i32): f32 {
  let s = f32x4.splat(0);
  let i: i32 = 0;
  for (; i + 4 <= n; i += 4) {
    s = f32x4.add(s, f32x4.mul(v128.load(x + (<usize>i << 2)), v128.load(y + (<usize>i << 2))));
  }
  let total = lanes(s);
  for (; i < n; i++) total += load<f32>(x + (<usize>i << 2)) * load<f32>(y + (<usize>i << 2));
  return total;
}
