//! Proof of work, instead of a third-party CAPTCHA. The server hands out a signed challenge; the
//! browser searches for a number whose SHA-256, hashed after the challenge, starts with
//! `difficulty` zero bits. Finding one takes about 2^difficulty hashes; checking it takes one.
//! Shared: the WASM bundle searches with the very code the server checks with.

use sha2::{Digest, Sha256};

/// The hardest puzzle the server may set and the browser agrees to solve: 2^24 hashes is some
/// seconds on a phone. A forged challenge asking for more is not even started.
pub const MAX_DIFFICULTY: u8 = 24;

/// A challenge reads `v1.<difficulty>.<expires_at>.<random>.<signature>`; the difficulty is
/// public so the browser knows how far to search. `None` for anything harder than
/// [`MAX_DIFFICULTY`].
pub fn difficulty_of(challenge: &str) -> Option<u8> {
    challenge
        .split('.')
        .nth(1)?
        .parse()
        .ok()
        .filter(|difficulty| *difficulty <= MAX_DIFFICULTY)
}

pub fn is_solution(challenge: &str, difficulty: u8, nonce: u64) -> bool {
    let prefix = Sha256::new()
        .chain_update(challenge.as_bytes())
        .chain_update(b":");
    meets(prefix, difficulty, nonce)
}

/// Tries `count` nonces from `from`; the browser calls it in slices so the page stays responsive.
pub fn search(challenge: &str, difficulty: u8, from: u64, count: u64) -> Option<u64> {
    let prefix = Sha256::new()
        .chain_update(challenge.as_bytes())
        .chain_update(b":");
    (from..from.saturating_add(count)).find(|&nonce| meets(prefix.clone(), difficulty, nonce))
}

/// The form value that carries a solution: `<challenge>:<nonce>`.
pub fn proof(challenge: &str, nonce: u64) -> String {
    format!("{challenge}:{nonce}")
}

pub fn parse_proof(proof: &str) -> Option<(&str, u64)> {
    let (challenge, nonce) = proof.rsplit_once(':')?;
    Some((challenge, nonce.parse().ok()?))
}

fn meets(prefix: Sha256, difficulty: u8, nonce: u64) -> bool {
    let mut digits = [0u8; 20];
    let digest = prefix.chain_update(decimal(nonce, &mut digits)).finalize();
    leading_zero_bits(&digest) >= u32::from(difficulty)
}

/// `nonce` in decimal without allocating (this runs millions of times in the browser).
fn decimal(mut nonce: u64, buffer: &mut [u8; 20]) -> &[u8] {
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (nonce % 10) as u8;
        nonce /= 10;
        if nonce == 0 {
            return &buffer[start..];
        }
    }
}

fn leading_zero_bits(bytes: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in bytes {
        bits += byte.leading_zeros();
        if *byte != 0 {
            break;
        }
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_found_solution_checks_and_a_neighbour_usually_does_not() {
        let challenge = "v1.12.1800000000.00112233445566778899aabbccddeeff.sig";
        assert_eq!(difficulty_of(challenge), Some(12));
        assert_eq!(
            difficulty_of("v1.25.1800000000.00.sig"),
            None,
            "harder than the cap: refused"
        );
        let nonce = search(challenge, 12, 0, 1 << 20).expect("2^20 tries find a 12-bit solution");
        assert!(is_solution(challenge, 12, nonce));
        assert!(!is_solution("v1.12.1800000000.other.sig", 24, nonce));
        let proof = proof(challenge, nonce);
        assert_eq!(parse_proof(&proof), Some((challenge, nonce)));
        assert_eq!(parse_proof("no-nonce"), None);
        assert_eq!(parse_proof("x:not-a-number"), None);
    }

    #[test]
    fn counts_leading_zero_bits_and_writes_decimals() {
        assert_eq!(leading_zero_bits(&[0, 0, 0b0001_0000, 0xff]), 19);
        assert_eq!(leading_zero_bits(&[0xff]), 0);
        let mut buffer = [0u8; 20];
        assert_eq!(decimal(0, &mut buffer), b"0");
        assert_eq!(decimal(u64::MAX, &mut buffer), u64::MAX.to_string().as_bytes());
    }
}
