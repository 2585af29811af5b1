//! The batch case's innermost loops (Harmony's, the k-NN scan's) two or four values at a
//! time with WebAssembly's 128-bit SIMD, whatever the build's opt-level (at "z" LLVM's loop
//! vectoriser is off; the worker's own profile is at 3, and these loops still gained there).
//! Each lane does the same IEEE operations in the same order as the scalar reference loop
//! (no fused multiply-add), so both give the same bits: natively the reference loops run,
//! and a browser test compares the two.
// The SIMD loads and stores are `unsafe` (raw pointers to 16-byte chunks).
#![allow(unsafe_code)]

use crate::exp::exp_nonpositive;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub use simd::{add_sub, affine, axpy, div_all, exp_times, shift_by_min, sq_dists};
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub use {
    add_sub_scalar as add_sub, affine_scalar as affine, axpy_scalar as axpy,
    div_all_scalar as div_all, exp_times_scalar as exp_times, shift_by_min_scalar as shift_by_min,
    sq_dists_scalar as sq_dists,
};

// The reference loops (what runs natively), each with the SIMD one's name without `_scalar`.

/// `out[i] += a * x[i]` (over the shorter of the two).
pub fn axpy_scalar(out: &mut [f64], a: f64, x: &[f64]) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o += a * v;
    }
}

/// `out[i] = exp(arg[i]) * w[i]` for arguments <= 0 ([`exp_nonpositive`]).
pub fn exp_times_scalar(out: &mut [f64], arg: &[f64], w: &[f64]) {
    for ((o, &x), &w) in out.iter_mut().zip(arg).zip(w) {
        *o = exp_nonpositive(x) * w;
    }
}

/// `v[i] /= d`.
pub fn div_all_scalar(v: &mut [f64], d: f64) {
    for x in v.iter_mut() {
        *x /= d;
    }
}

/// `out[i] = (a[i] + b[i]) - c`.
pub fn add_sub_scalar(out: &mut [f64], a: &[f64], b: &[f64], c: f64) {
    for ((o, &a), &b) in out.iter_mut().zip(a).zip(b) {
        *o = a + b - c;
    }
}

/// `v[i] = a + b * v[i]`.
pub fn affine_scalar(v: &mut [f64], a: f64, b: f64) {
    for x in v.iter_mut() {
        *x = a + b * *x;
    }
}

/// The smallest value (NaN skipped; infinity for none), and `out[i] = -(v[i] - min) / s`.
pub fn shift_by_min_scalar(out: &mut [f64], v: &[f64], s: f64) {
    // a comparison: f64::min is a libm call at opt-level z
    let min = v
        .iter()
        .fold(f64::INFINITY, |m, &x| if x < m { x } else { m });
    for (o, &x) in out.iter_mut().zip(v) {
        *o = -(x - min) / s;
    }
}

/// Squared distances `ni + nj[i] - 2 p[i]` (at least 0) written over the dot products
/// `p`, and the smallest of them.
pub fn sq_dists_scalar(p: &mut [f32], ni: f32, nj: &[f32]) -> f32 {
    // comparisons, not f32::max/min: those stay libm calls at opt-level z
    let mut low = f32::INFINITY;
    for (p, &nj) in p.iter_mut().zip(nj) {
        let d2 = ni + nj - 2.0 * *p;
        let d2 = if d2 > 0.0 { d2 } else { 0.0 };
        *p = d2;
        low = if d2 < low { d2 } else { low };
    }
    low
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use crate::exp::{EXP_MIN_ARG, LN2_HI, LN2_LO, SHIFT};
    use core::arch::wasm32::{
        f32x4_add, f32x4_extract_lane, f32x4_mul, f32x4_pmax, f32x4_pmin, f32x4_splat, f32x4_sub,
        f64x2_add, f64x2_div, f64x2_extract_lane, f64x2_lt, f64x2_mul, f64x2_ne, f64x2_neg,
        f64x2_pmin, f64x2_splat, f64x2_sub, i64x2_add, i64x2_shl, i64x2_splat, i64x2_sub, v128,
        v128_bitselect, v128_load, v128_store,
    };

    /// The first 16 bytes of `c` (two f64 or four f32); callers pass whole chunks.
    fn load<T: Copy>(c: &[T]) -> v128 {
        assert!(std::mem::size_of_val(c) >= 16);
        // SAFETY: `c` holds at least 16 bytes (checked); v128.load needs no alignment.
        unsafe { v128_load(c.as_ptr().cast()) }
    }

    fn store<T: Copy>(c: &mut [T], v: v128) {
        assert!(std::mem::size_of_val(c) >= 16);
        // SAFETY: as in `load`, for writing.
        unsafe { v128_store(c.as_mut_ptr().cast(), v) }
    }

    pub fn axpy(out: &mut [f64], a: f64, x: &[f64]) {
        let n = out.len().min(x.len());
        let (out, x) = (&mut out[..n], &x[..n]);
        let av = f64x2_splat(a);
        let mut o2 = out.chunks_exact_mut(2);
        let mut x2 = x.chunks_exact(2);
        for (o, v) in (&mut o2).zip(&mut x2) {
            store(o, f64x2_add(load(o), f64x2_mul(av, load(v))));
        }
        super::axpy_scalar(o2.into_remainder(), a, x2.remainder());
    }

    /// [`crate::exp::exp_nonpositive`] on two lanes, operation for operation.
    fn exp2(x: v128) -> v128 {
        let min = f64x2_splat(EXP_MIN_ARG);
        let below = f64x2_lt(x, min);
        let xc = v128_bitselect(min, x, below);
        let shift = f64x2_splat(SHIFT);
        let t = f64x2_add(f64x2_mul(xc, f64x2_splat(std::f64::consts::LOG2_E)), shift);
        let kf = f64x2_sub(t, shift);
        let k = i64x2_sub(t, i64x2_splat(SHIFT.to_bits() as i64));
        let r = f64x2_sub(
            f64x2_sub(xc, f64x2_mul(kf, f64x2_splat(LN2_HI))),
            f64x2_mul(kf, f64x2_splat(LN2_LO)),
        );
        // c + r * p, as the scalar code nests it
        let step = |c: f64, p: v128| f64x2_add(f64x2_splat(c), f64x2_mul(r, p));
        let p = step(1.0 / 479_001_600.0, f64x2_splat(1.0 / 6_227_020_800.0));
        let p = step(1.0 / 39_916_800.0, p);
        let p = step(1.0 / 3_628_800.0, p);
        let p = step(1.0 / 362_880.0, p);
        let p = step(1.0 / 40_320.0, p);
        let p = step(1.0 / 5_040.0, p);
        let p = step(1.0 / 720.0, p);
        let p = step(1.0 / 120.0, p);
        let p = step(1.0 / 24.0, p);
        let p = step(1.0 / 6.0, p);
        let p = step(0.5, p);
        let p = step(1.0, p);
        let p = step(1.0, p);
        let scale = i64x2_shl(i64x2_add(k, i64x2_splat(1023)), 52);
        let y = f64x2_mul(p, scale);
        let y = v128_bitselect(f64x2_splat(0.0), y, below);
        v128_bitselect(x, y, f64x2_ne(x, x))
    }

    pub fn div_all(v: &mut [f64], d: f64) {
        let dv = f64x2_splat(d);
        let mut v2 = v.chunks_exact_mut(2);
        for o in &mut v2 {
            store(o, f64x2_div(load(o), dv));
        }
        super::div_all_scalar(v2.into_remainder(), d);
    }

    pub fn add_sub(out: &mut [f64], a: &[f64], b: &[f64], c: f64) {
        let n = out.len().min(a.len()).min(b.len());
        let (out, a, b) = (&mut out[..n], &a[..n], &b[..n]);
        let cv = f64x2_splat(c);
        let mut o2 = out.chunks_exact_mut(2);
        let (mut a2, mut b2) = (a.chunks_exact(2), b.chunks_exact(2));
        for ((o, a), b) in (&mut o2).zip(&mut a2).zip(&mut b2) {
            store(o, f64x2_sub(f64x2_add(load(a), load(b)), cv));
        }
        super::add_sub_scalar(o2.into_remainder(), a2.remainder(), b2.remainder(), c);
    }

    pub fn affine(v: &mut [f64], a: f64, b: f64) {
        let (av, bv) = (f64x2_splat(a), f64x2_splat(b));
        let mut v2 = v.chunks_exact_mut(2);
        for o in &mut v2 {
            store(o, f64x2_add(av, f64x2_mul(bv, load(o))));
        }
        super::affine_scalar(v2.into_remainder(), a, b);
    }

    pub fn shift_by_min(out: &mut [f64], v: &[f64], s: f64) {
        // pmin(m, x) = if x < m { x } else { m }, the scalar fold per lane; the smallest
        // of a set is the same in any order
        let mut low = f64x2_splat(f64::INFINITY);
        let mut v2 = v.chunks_exact(2);
        for c in &mut v2 {
            low = f64x2_pmin(low, load(c));
        }
        let min = [f64x2_extract_lane::<0>(low), f64x2_extract_lane::<1>(low)]
            .into_iter()
            .chain(v2.remainder().iter().copied())
            .fold(f64::INFINITY, |m, x| if x < m { x } else { m });
        let n = out.len().min(v.len());
        let (out, v) = (&mut out[..n], &v[..n]);
        let (mv, sv) = (f64x2_splat(min), f64x2_splat(s));
        let mut o2 = out.chunks_exact_mut(2);
        let mut v2 = v.chunks_exact(2);
        for (o, c) in (&mut o2).zip(&mut v2) {
            store(o, f64x2_div(f64x2_neg(f64x2_sub(load(c), mv)), sv));
        }
        for (o, &x) in o2.into_remainder().iter_mut().zip(v2.remainder()) {
            *o = -(x - min) / s;
        }
    }

    pub fn sq_dists(p: &mut [f32], ni: f32, nj: &[f32]) -> f32 {
        let n = p.len().min(nj.len());
        let (p, nj) = (&mut p[..n], &nj[..n]);
        let (niv, two, zero) = (f32x4_splat(ni), f32x4_splat(2.0), f32x4_splat(0.0));
        // The smallest is the same whichever order the values are met in (no NaN
        // survives the clamp, and a zero is always +0).
        let mut low = f32x4_splat(f32::INFINITY);
        let mut p4 = p.chunks_exact_mut(4);
        let mut n4 = nj.chunks_exact(4);
        for (pc, nc) in (&mut p4).zip(&mut n4) {
            let d2 = f32x4_sub(f32x4_add(niv, load(nc)), f32x4_mul(two, load(pc)));
            // pmax(0, d2) = if 0 < d2 { d2 } else { 0 }, the scalar clamp
            let d2 = f32x4_pmax(zero, d2);
            store(pc, d2);
            low = f32x4_pmin(low, d2);
        }
        let rest = super::sq_dists_scalar(p4.into_remainder(), ni, n4.remainder());
        let lanes = [
            f32x4_extract_lane::<0>(low),
            f32x4_extract_lane::<1>(low),
            f32x4_extract_lane::<2>(low),
            f32x4_extract_lane::<3>(low),
            rest,
        ];
        lanes
            .into_iter()
            .fold(f32::INFINITY, |m, v| if v < m { v } else { m })
    }

    pub fn exp_times(out: &mut [f64], arg: &[f64], w: &[f64]) {
        let n = out.len().min(arg.len()).min(w.len());
        let (out, arg, w) = (&mut out[..n], &arg[..n], &w[..n]);
        let mut o2 = out.chunks_exact_mut(2);
        let (mut a2, mut w2) = (arg.chunks_exact(2), w.chunks_exact(2));
        for ((o, a), v) in (&mut o2).zip(&mut a2).zip(&mut w2) {
            store(o, f64x2_mul(exp2(load(a)), load(v)));
        }
        super::exp_times_scalar(o2.into_remainder(), a2.remainder(), w2.remainder());
    }
}
