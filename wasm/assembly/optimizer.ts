/**
 * AssemblyScript: momentum's update (lib/optimizers.ts) over one parameter array, two at a
 * time. The velocity is float64 and every operation is the one JavaScript performs (f64
 * multiply, then add; the new θ rounded to f32 once), so the result is bit-for-bit the same.
 */

/** For i in [from, to): v[i] ← β·v[i] + dθ[i], θ[i] ← θ[i] − η·v[i] (θ, dθ f32; v f64). */
export function momentumStep(
  from: i32, to: i32, theta: usize, gradient: usize, velocity: usize, beta: f64, eta: f64,
): void {
  const b = f64x2.splat(beta), e = f64x2.splat(eta);
  let i = from;
  for (; i + 2 <= to; i += 2) {
    const t = theta + (<usize>i << 2), v = velocity + (<usize>i << 3);
    const g = f64x2.promote_low_f32x4(v128.load64_zero(gradient + (<usize>i << 2)));
    const vNew = f64x2.add(f64x2.mul(b, v128.load(v)), g);
    v128.store(v, vNew);
    const thetaOld = f64x2.promote_low_f32x4(v128.load64_zero(t));
    v128.store64_lane(t, f32x4.demote_f64x2_zero(f64x2.sub(thetaOld, f64x2.mul(e, vNew))), 0);
  }
  for (; i < to; i++) {
    const t = theta + (<usize>i << 2), v = velocity + (<usize>i << 3);
    const vNew = beta * load<f64>(v) + <f64>load<f32>(gradient + (<usize>i << 2));
    store<f64>(v, vNew);
    store<f32>(t, <f32>(<f64>load<f32>(t) - eta * vNew));
  }
}
