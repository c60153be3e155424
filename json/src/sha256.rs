//! SHA-256 (FIPS 180-4), for the rules fingerprint.
//!
//! Native builds use the `sha2` crate. The `.wasm` uses [`soft`], written
//! out here: `sha2`'s unrolled rounds were 9.5 KB of the module (compiled for
//! speed, as they had to be: at `opt-level = "z"` they took three times the
//! instructions). `soft` is 2 KB and written to compile well at "z": index
//! loops (iterator adapters are calls at "z") and rounds that rotate names
//! instead of values. It costs about 7,800 Wasm instructions per 64-byte
//! block, 1.4 M for the 11 KB canonical form of the benchmark rules (`sha2`
//! at `opt-level = 3`: 0.9 M).
//!
//! ```
//! let d = siyu::sha256::digest(b"abc");
//! assert_eq!(d[..4], [0xba, 0x78, 0x16, 0xbf]);
//! assert_eq!(siyu::sha256::soft(b"abc"), d);
//! ```

/// The first 32 bits of the fractional parts of the cube roots of the
/// first 64 primes (FIPS 180-4 §4.2.2).
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// The initial hash value (§5.3.3).
const H0: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// The SHA-256 digest of `data`: the `sha2` crate's natively (it uses the
/// CPU's SHA instructions where there are some), [`soft`] in Wasm.
pub fn digest(data: &[u8]) -> [u8; 32] {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use sha2::Digest;
        sha2::Sha256::digest(data).into()
    }
    #[cfg(target_arch = "wasm32")]
    {
        soft(data)
    }
}

/// SHA-256 written out: what the `.wasm` runs.
pub fn soft(data: &[u8]) -> [u8; 32] {
    let mut h = H0;
    let mut blocks = data.chunks_exact(64);
    for block in &mut blocks {
        compress(&mut h, block);
    }
    // Padding (§5.1.1): a 1 bit, zeros, and the length in bits, big-endian,
    // filling one or two final blocks.
    let rest = blocks.remainder();
    let mut tail = [0u8; 128];
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    let n = if rest.len() < 56 { 64 } else { 128 };
    tail[n - 8..n].copy_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in tail[..n].chunks_exact(64) {
        compress(&mut h, block);
    }
    let mut out = [0u8; 32];
    for (o, w) in out.chunks_exact_mut(4).zip(h) {
        o.copy_from_slice(&w.to_be_bytes());
    }
    out
}

/// One round (§6.2.2 step 3) with the working variables named so that the
/// next round is the same macro with the names rotated: no shuffling of
/// eight variables per round, which at `opt-level = "z"` cost more than the
/// round itself.
macro_rules! round {
    ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $k:expr, $w:expr) => {
        let t1 = $h
            .wrapping_add($e.rotate_right(6) ^ $e.rotate_right(11) ^ $e.rotate_right(25))
            .wrapping_add(($e & $f) ^ (!$e & $g))
            .wrapping_add($k)
            .wrapping_add($w);
        let t2 = ($a.rotate_right(2) ^ $a.rotate_right(13) ^ $a.rotate_right(22)).wrapping_add(($a & $b) ^ ($a & $c) ^ ($b & $c));
        $d = $d.wrapping_add(t1);
        $h = t1.wrapping_add(t2);
    };
}

/// One 64-byte block into the state (§6.2.2).
fn compress(h: &mut [u32; 8], block: &[u8]) {
    // Plain index loops: at opt-level "z" iterator adapters are not inlined
    // and each step would be a call.
    let mut w = [0u32; 64];
    let mut t = 0;
    while t < 16 {
        w[t] = u32::from_be_bytes([block[4 * t], block[4 * t + 1], block[4 * t + 2], block[4 * t + 3]]);
        t += 1;
    }
    for t in 16..64 {
        let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
        let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16].wrapping_add(s0).wrapping_add(w[t - 7]).wrapping_add(s1);
    }
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = *h;
    let mut t = 0;
    while t < 64 {
        round!(a, b, c, d, e, f, g, hh, K[t], w[t]);
        round!(hh, a, b, c, d, e, f, g, K[t + 1], w[t + 1]);
        round!(g, hh, a, b, c, d, e, f, K[t + 2], w[t + 2]);
        round!(f, g, hh, a, b, c, d, e, K[t + 3], w[t + 3]);
        round!(e, f, g, hh, a, b, c, d, K[t + 4], w[t + 4]);
        round!(d, e, f, g, hh, a, b, c, K[t + 5], w[t + 5]);
        round!(c, d, e, f, g, hh, a, b, K[t + 6], w[t + 6]);
        round!(b, c, d, e, f, g, hh, a, K[t + 7], w[t + 7]);
        t += 8;
    }
    let v = [a, b, c, d, e, f, g, hh];
    let mut i = 0;
    while i < 8 {
        h[i] = h[i].wrapping_add(v[i]);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::soft as digest;

    fn hex(d: [u8; 32]) -> String {
        d.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The FIPS 180-4 examples, and lengths around the padding boundaries.
    #[test]
    fn known_digests() {
        assert_eq!(hex(digest(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hex(digest(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(
            hex(digest(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(hex(digest(&[b'a'; 1_000_000])), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }

    /// Every length from 0 to 300 bytes: the written-out SHA-256 (the
    /// `.wasm`'s) against the `sha2` crate (native builds').
    #[test]
    fn agrees_with_the_sha2_crate() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 31 + 7) as u8).collect();
        for n in 0..=data.len() {
            assert_eq!(digest(&data[..n]), super::digest(&data[..n]), "{n} bytes");
        }
    }
}
