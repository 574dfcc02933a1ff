//! The modules of a badge's QR code: the `qrcode` crate encodes the payload, places it and
//! masks it; this module chooses the mask.
//!
//! The standard (ISO/IEC 18004, 7.8.3) tries the eight masks and keeps the one with the lowest
//! penalty (long runs, 2 × 2 blocks, finder-like patterns, an unbalanced dark share), so that a
//! scanner at the door reads the code easily. The crate does the same, but its finder-pattern
//! rule allocates a closure on the heap for every module of every line of every mask: it was
//! 40 % of the whole process that writes 100 badges (`perf record`, docs/speed.md). Here the
//! same four rules, with the crate's exact arithmetic and the same order of masks (the first
//! lowest wins), run on a plain grid of booleans: the same code, module for module (checked
//! against the crate by a test), in a fraction of the time.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};

/// The masks in the order the crate tries them: on a tie the first one is kept, as there.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// A QR code: `width` modules a side, `dark` row by row from the top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrModules {
    /// Modules a side.
    pub width: usize,
    /// Whether each module is dark, row by row from the top-left corner.
    pub dark: Vec<bool>,
}

impl QrModules {
    /// Whether the module at `row`, `col` (from the top-left corner) is dark.
    pub fn is_dark(&self, row: usize, col: usize) -> bool {
        self.dark[row * self.width + col]
    }
}

/// The QR code of `payload` at error correction level M (15 % of the code may be damaged),
/// in the smallest version that holds it; `None` if no version can.
pub fn encode(payload: &[u8]) -> Option<QrModules> {
    let bits = qrcode::bits::encode_auto(payload, EcLevel::M).ok()?;
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    let width = usize::try_from(version.width()).ok()?;
    let mut best: Option<(u32, Vec<bool>)> = None;
    for mask in MASKS {
        let mut masked = canvas.clone();
        masked.apply_mask(mask);
        let dark: Vec<bool> = masked.into_colors().into_iter().map(|c| c == Color::Dark).collect();
        let score = penalty(&dark, width);
        if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
            best = Some((score, dark));
        }
    }
    best.map(|(_, dark)| QrModules { width, dark })
}

/// The penalty of a masked code, as the `qrcode` crate (0.14) counts it, without its constant
/// offset (it subtracts the 360 points the three finder patterns always score), which changes
/// no choice.
fn penalty(dark: &[bool], n: usize) -> u32 {
    let mut columns = vec![false; n * n];
    for (i, &d) in dark.iter().enumerate() {
        columns[(i % n) * n + i / n] = d;
    }
    let mut score = 0u32;
    for line in dark.chunks_exact(n).chain(columns.chunks_exact(n)) {
        // N1: a run of five or more modules of one colour scores its length minus two.
        let mut run = 1u32;
        for k in 1..=n {
            if k < n && line[k] == line[k - 1] {
                run += 1;
            } else {
                if run >= 5 {
                    score += run - 2;
                }
                run = 1;
            }
        }
        // N3: dark-light-dark×3-light-dark with four light modules (or the edge) on either
        // side scores 40.
        for j in 0..n.saturating_sub(6) {
            let p = &line[j..j + 7];
            if p[0] && !p[1] && p[2] && p[3] && p[4] && !p[5] && p[6] {
                let before = &line[j.saturating_sub(4)..j];
                let after = &line[j + 7..(j + 11).min(n)];
                if !before.contains(&true) || !after.contains(&true) {
                    score += 40;
                }
            }
        }
    }
    // N2: every 2 × 2 block of one colour (overlapping) scores 3.
    for (top, bottom) in dark.chunks_exact(n).zip(dark.chunks_exact(n).skip(1)) {
        for x in 0..n - 1 {
            let c = top[x];
            if top[x + 1] == c && bottom[x] == c && bottom[x + 1] == c {
                score += 3;
            }
        }
    }
    // N4: how far the dark share is from half, in half-percent steps.
    let share = dark.iter().filter(|&&d| d).count() * 200 / dark.len().max(1);
    score + share.abs_diff(100) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcode::QrCode;

    fn by_the_crate(payload: &[u8]) -> QrModules {
        let code = QrCode::with_error_correction_level(payload, EcLevel::M).unwrap();
        QrModules {
            width: code.width(),
            dark: code.to_colors().into_iter().map(|c| c == Color::Dark).collect(),
        }
    }

    /// The same code as the crate's, module for module, for badge codes and for payloads of
    /// every length up to 300 bytes (versions 1 to 13 and more) in the crate's three encodings
    /// and raw bytes.
    #[test]
    fn the_same_code_as_the_crate_module_for_module() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabets: [&[u8]; 4] = [
            b"0123456789",
            b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:",
            b"abcdefghjkmnpqrstvwxyz0123456789",
            &[0xC3, 0xA9, b'a', b'-', 0xFF, 0],
        ];
        let mut versions = std::collections::BTreeSet::new();
        for len in 1..=300usize {
            let alphabet = alphabets[len % alphabets.len()];
            let payload: Vec<u8> =
                (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            let ours = encode(&payload).unwrap();
            versions.insert(ours.width);
            assert_eq!(ours, by_the_crate(&payload), "payload {payload:?}");
        }
        assert!(versions.len() >= 13, "versions covered: {versions:?}");
        // Badge codes as the desk makes them.
        for _ in 0..200 {
            let code: String = (0..26).map(|_| char::from(alphabets[2][(next() % 32) as usize])).collect();
            let payload = code.to_uppercase();
            assert_eq!(encode(payload.as_bytes()).unwrap(), by_the_crate(payload.as_bytes()), "{payload}");
        }
    }

    /// Each rule scores what the standard says, on grids small enough to count by hand.
    #[test]
    fn each_rule_scores_by_hand() {
        // 7 × 7, all light: N1 7 lines × 2 directions × (7 − 2) = 70; N2 36 blocks × 3 = 108;
        // N4 all light: 100. No finder-like pattern.
        assert_eq!(penalty(&[false; 49], 7), 70 + 108 + 100);
        // 11 × 11, light but for a finder-like row at the left edge of row 5 (dark, light,
        // dark ×3, light, dark). N1: ten light rows (9 each), six light columns (9 each), five
        // columns with a dark module in the middle (two runs of five, 3 each) = 174; N3: the
        // pattern, with the edge before it = 40; N2: 2 × 2 blocks all light, 80 away from row 5
        // and 3 on each side of it (at columns 7–10) = 86 × 3 = 258; N4: 5 of 121 dark,
        // 8 half-percents, 92 from half.
        let n = 11;
        let mut g = vec![false; n * n];
        for (t, &d) in [true, false, true, true, true, false, true].iter().enumerate() {
            g[5 * n + t] = d;
        }
        assert_eq!(penalty(&g, n), 90 + 54 + 30 + 40 + 258 + 92);
        // A dark module right after the pattern: the edge before it still counts as four light
        // modules (40 stays); column 8 has two runs of five instead of eleven (9 → 6); two blocks
        // fewer (−6); 6 dark (91).
        g[5 * n + 8] = true;
        assert_eq!(penalty(&g, n), 90 + 45 + 36 + 40 + 246 + 91);
        // The pattern away from the edge with a dark module within four on both sides
        // (row 5: . # # . # # # . # # .) scores no 40: N1 90 + four light columns 36 + seven
        // columns of two runs of five 42; N2 only the 80 blocks away from row 5 (no two light
        // modules side by side in it) = 240; N4 7 dark, 11 half-percents, 89.
        let mut h = vec![false; n * n];
        for col in [1, 2, 4, 5, 6, 8, 9] {
            h[5 * n + col] = true;
        }
        assert_eq!(penalty(&h, n), 90 + 36 + 42 + 240 + 89);
        // Half dark, checkerboard: no runs, no blocks, balanced: nothing but finder checks.
        let board: Vec<bool> = (0..64).map(|i| (i / 8 + i % 8) % 2 == 0).collect();
        assert_eq!(penalty(&board, 8), 0);
    }

    #[test]
    fn too_long_a_payload_has_no_code() {
        assert!(encode(&vec![0xFF; 3000]).is_none());
    }
}
