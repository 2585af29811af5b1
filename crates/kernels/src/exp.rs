//! exp(x) as plain arithmetic that the compiler can inline and vectorise: Harmony's soft
//! assignment takes tens of millions of exponentials, and the library exp is a call per
//! value (in WebAssembly a software routine with branches). The same operations run
//! natively and in WebAssembly, so both give the same bits.

/// ln 2 split so that `k * LN2_HI` is exact for |k| < 2^11 (Cody and Waite).
pub(crate) const LN2_HI: f64 = 6.931_471_803_691_238e-1;
pub(crate) const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
/// 1.5 * 2^52: adding it rounds to the nearest integer and leaves that integer in the
/// low bits of the sum.
pub(crate) const SHIFT: f64 = 6_755_399_441_055_744.0;
/// Below this the result is subnormal; it is returned as 0.
pub const EXP_MIN_ARG: f64 = -708.0;

/// exp(x) for x <= 0, within 2 ulp of the correctly rounded value; 0 below
/// [`EXP_MIN_ARG`], NaN for NaN. (Positive x up to 709 also work.)
#[inline(always)]
pub fn exp_nonpositive(x: f64) -> f64 {
    let xc = if x < EXP_MIN_ARG { EXP_MIN_ARG } else { x };
    // x = k ln2 + r, |r| <= ln2 / 2
    let t = xc * std::f64::consts::LOG2_E + SHIFT;
    let kf = t - SHIFT;
    let k = t.to_bits() as i64 - SHIFT.to_bits() as i64;
    let r = (xc - kf * LN2_HI) - kf * LN2_LO;
    // Taylor series of e^r to r^13 (truncation below 1e-17 relative for |r| <= 0.35)
    // (written out: at opt-level z a loop over the coefficients stays a loop)
    let p = 1.0 / 39_916_800.0 + r * (1.0 / 479_001_600.0 + r * (1.0 / 6_227_020_800.0));
    let p = 1.0 / 40_320.0 + r * (1.0 / 362_880.0 + r * (1.0 / 3_628_800.0 + r * p));
    let p = 1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5_040.0 + r * p));
    let p = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * p))));
    let scale = f64::from_bits(((k + 1023) as u64) << 52);
    let y = p * scale;
    if x < EXP_MIN_ARG {
        0.0
    } else if x.is_nan() {
        x
    } else {
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_pcg::Pcg64Mcg;

    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn agrees_with_the_library_exp_within_two_ulp() {
        let mut rng = Pcg64Mcg::seed_from_u64(7);
        let mut worst = 0;
        for i in 0..2_000_000 {
            // dense near 0, where Harmony's arguments are, and over the whole range
            let x = if i % 2 == 0 {
                -rng.random::<f64>() * 50.0
            } else {
                -rng.random::<f64>() * -EXP_MIN_ARG
            };
            worst = worst.max(ulps(exp_nonpositive(x), x.exp()));
        }
        assert!(worst <= 2, "worst error {worst} ulp");
        for x in [
            0.0,
            -0.0,
            -1e-300,
            -0.5,
            -1.0,
            -std::f64::consts::LN_2,
            -700.0,
            EXP_MIN_ARG,
        ] {
            assert!(ulps(exp_nonpositive(x), x.exp()) <= 2, "{x}");
        }
        assert_eq!(exp_nonpositive(0.0), 1.0);
    }

    #[test]
    fn ends_of_the_range() {
        assert_eq!(exp_nonpositive(-708.5), 0.0);
        assert_eq!(exp_nonpositive(f64::NEG_INFINITY), 0.0);
        assert!(exp_nonpositive(f64::NAN).is_nan());
        assert!(ulps(exp_nonpositive(700.0), 700f64.exp()) <= 2);
    }
}
