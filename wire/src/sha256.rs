//! SHA-256 (FIPS 180-4), for the rules fingerprint: one implementation,
//! the same in every build, so native tests run the code the `.wasm` ships.
//! The tests hold it to the published examples and to the `sha2` crate, an
//! independent implementation.
//!
//! It is written to compile small: index loops, rounds that rotate names
//! instead of values, the 16 schedule words a round needs in locals rather
//! than a 64-word array in memory (Wasm has as many locals as it likes; the
//! array cost a load per use and a store per word), and the block as an
//! array (no bounds checks on its loads). About 3 KB of the `.wasm` and
//! 4,600 Wasm instructions per 64-byte block (`sha2`'s unrolled rounds were
//! 9.5 KB).
//!
//! ```
//! let d = siyu_wire::sha256::digest(b"abc");
//! assert_eq!(d[..4], [0xba, 0x78, 0x16, 0xbf]);
//! ```

/// The first 32 bits of the fractional parts of the cube roots of the
/// first 64 primes (FIPS 180-4 §4.2.2).
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
];

/// The initial hash value (§5.3.3).
const H0: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// The SHA-256 digest of `data`.
pub fn digest(data: &[u8]) -> [u8; 32] {
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
/// eight variables per round. `$w` is the schedule word for this round, a
/// local: the 16 words of the schedule a round needs live in locals, not in
/// an array in memory. Ch and Maj are written in shorter equivalent forms:
/// g ^ (e & (f ^ g)), and b ^ ((a ^ b) & (b ^ c)), whose b ^ c is the
/// previous round's a ^ b (unrolled, the compiler reuses it).
macro_rules! round {
    ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $k:expr, $w:ident) => {
        let t1 = $h
            .wrapping_add($e.rotate_right(6) ^ $e.rotate_right(11) ^ $e.rotate_right(25))
            .wrapping_add($g ^ ($e & ($f ^ $g)))
            .wrapping_add($k)
            .wrapping_add($w);
        let t2 =
            ($a.rotate_right(2) ^ $a.rotate_right(13) ^ $a.rotate_right(22)).wrapping_add($b ^ (($a ^ $b) & ($b ^ $c)));
        $d = $d.wrapping_add(t1);
        $h = t1.wrapping_add(t2);
    };
}

/// The next schedule word in place (§6.2.2 step 1, as a ring of 16):
/// W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], where W[t-16] is the
/// word being replaced.
macro_rules! next {
    ($w0:ident, $w1:ident, $w9:ident, $w14:ident) => {
        $w0 = $w0
            .wrapping_add($w1.rotate_right(7) ^ $w1.rotate_right(18) ^ ($w1 >> 3))
            .wrapping_add($w9)
            .wrapping_add($w14.rotate_right(17) ^ $w14.rotate_right(19) ^ ($w14 >> 10));
    };
}

/// One 64-byte block into the state (§6.2.2).
fn compress(h: &mut [u32; 8], block: &[u8]) {
    // As an array: the loads below need no bounds checks (they cost 180 K
    // instructions a fingerprint). Blocks are 64 bytes (`chunks_exact`).
    let Ok(block) = <&[u8; 64]>::try_from(block) else { return };
    let mut m = [0u32; 16];
    let mut i = 0;
    while i < 16 {
        m[i] = u32::from_be_bytes([block[4 * i], block[4 * i + 1], block[4 * i + 2], block[4 * i + 3]]);
        i += 1;
    }
    let [mut w0, mut w1, mut w2, mut w3, mut w4, mut w5, mut w6, mut w7, mut w8, mut w9, mut w10, mut w11, mut w12, mut w13, mut w14, mut w15] =
        m;
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = *h;
    // Four passes of 16 rounds; between passes the ring of 16 schedule
    // words moves on by 16.
    let mut pass = 0;
    loop {
        let k = &K[pass * 16..pass * 16 + 16];
        round!(a, b, c, d, e, f, g, hh, k[0], w0);
        round!(hh, a, b, c, d, e, f, g, k[1], w1);
        round!(g, hh, a, b, c, d, e, f, k[2], w2);
        round!(f, g, hh, a, b, c, d, e, k[3], w3);
        round!(e, f, g, hh, a, b, c, d, k[4], w4);
        round!(d, e, f, g, hh, a, b, c, k[5], w5);
        round!(c, d, e, f, g, hh, a, b, k[6], w6);
        round!(b, c, d, e, f, g, hh, a, k[7], w7);
        round!(a, b, c, d, e, f, g, hh, k[8], w8);
        round!(hh, a, b, c, d, e, f, g, k[9], w9);
        round!(g, hh, a, b, c, d, e, f, k[10], w10);
        round!(f, g, hh, a, b, c, d, e, k[11], w11);
        round!(e, f, g, hh, a, b, c, d, k[12], w12);
        round!(d, e, f, g, hh, a, b, c, k[13], w13);
        round!(c, d, e, f, g, hh, a, b, k[14], w14);
        round!(b, c, d, e, f, g, hh, a, k[15], w15);
        pass += 1;
        if pass == 4 {
            break;
        }
        next!(w0, w1, w9, w14);
        next!(w1, w2, w10, w15);
        next!(w2, w3, w11, w0);
        next!(w3, w4, w12, w1);
        next!(w4, w5, w13, w2);
        next!(w5, w6, w14, w3);
        next!(w6, w7, w15, w4);
        next!(w7, w8, w0, w5);
        next!(w8, w9, w1, w6);
        next!(w9, w10, w2, w7);
        next!(w10, w11, w3, w8);
        next!(w11, w12, w4, w9);
        next!(w12, w13, w5, w10);
        next!(w13, w14, w6, w11);
        next!(w14, w15, w7, w12);
        next!(w15, w0, w8, w13);
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
    use super::digest;

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

    /// Every length from 0 to 300 bytes, against the `sha2` crate.
    #[test]
    fn agrees_with_the_sha2_crate() {
        use sha2::Digest;
        let data: Vec<u8> = (0..300u32).map(|i| (i * 31 + 7) as u8).collect();
        for n in 0..=data.len() {
            let independent: [u8; 32] = sha2::Sha256::digest(&data[..n]).into();
            assert_eq!(digest(&data[..n]), independent, "{n} bytes");
        }
    }
}
