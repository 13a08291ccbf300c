//! Issuing and checking proof-of-work challenges (the puzzle itself is in `crate::pow`). A
//! challenge is signed with the server key, bound to the action and the client it was issued
//! for, and expires; the store redeems it, once.

use std::time::Duration;

use rand::Rng;

use super::keys::ServerKey;
use crate::pow;

const CHALLENGE_TTL: Duration = Duration::from_secs(600);
const SIGNATURE_PURPOSE: &str = "proof-of-work challenge";

/// A proof whose signature, expiry, difficulty and solution all check out; it still has to be
/// redeemed (once) by the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedProof {
    pub challenge: String,
    pub expires_at: i64,
}

/// What a challenge is good for: one action (a sign-in, a registration) from one client. The
/// signature covers both, so a challenge solved for one cannot be spent on another, nor passed
/// to another client (a farm of solvers still pays per client).
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    pub action: &'a str,
    pub client: &'a str,
}

impl Binding<'_> {
    fn signed_parts<'b>(&'b self, body: &'b str) -> [&'b [u8]; 3] {
        [body.as_bytes(), self.action.as_bytes(), self.client.as_bytes()]
    }
}

pub fn issue(key: &ServerKey, difficulty: u8, binding: Binding<'_>, now: i64) -> String {
    let random: [u8; 16] = rand::rngs::OsRng.gen();
    let expires_at = now + CHALLENGE_TTL.as_secs() as i64;
    let body = format!("v1.{difficulty}.{expires_at}.{}", hex::encode(random));
    let signature = key.sign_parts(SIGNATURE_PURPOSE, &binding.signed_parts(&body));
    format!("{body}.{}", hex::encode(signature))
}

/// Checks everything about `proof` that needs no database: that we signed the challenge for this
/// binding, that it has not expired, that it is at least `min_difficulty` hard, and that the
/// nonce solves it.
pub fn check(
    key: &ServerKey,
    proof: Option<&str>,
    min_difficulty: u8,
    binding: Binding<'_>,
    now: i64,
) -> Option<CheckedProof> {
    let (challenge, nonce) = pow::parse_proof(proof?)?;
    let (body, signature) = challenge.rsplit_once('.')?;
    let signature = hex::decode(signature).ok()?;
    if !key.verify_parts(SIGNATURE_PURPOSE, &binding.signed_parts(body), &signature) {
        return None;
    }
    let mut fields = body.split('.').skip(1);
    let difficulty = fields.next()?.parse::<u8>().ok()?;
    let expires_at = fields.next()?.parse::<i64>().ok()?;
    let sound =
        expires_at >= now && difficulty >= min_difficulty && pow::is_solution(challenge, difficulty, nonce);
    sound.then(|| CheckedProof {
        challenge: challenge.to_string(),
        expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIGN_IN: Binding = Binding {
        action: "sign_in",
        client: "192.0.2.1",
    };

    fn solve(challenge: &str) -> String {
        let difficulty = pow::difficulty_of(challenge).unwrap();
        pow::proof(
            challenge,
            pow::search(challenge, difficulty, 0, u64::MAX).unwrap(),
        )
    }

    #[test]
    fn a_solved_challenge_checks_until_it_expires() {
        let key = ServerKey::from_bytes([3; 32]);
        let proof = solve(&issue(&key, 6, SIGN_IN, 1_000));
        assert!(check(&key, Some(&proof), 6, SIGN_IN, 1_000).is_some());
        assert!(
            check(&key, Some(&proof), 6, SIGN_IN, 1_600).is_some(),
            "valid through its tenth minute"
        );
        assert!(check(&key, Some(&proof), 6, SIGN_IN, 1_601).is_none(), "expired");
        assert!(
            check(&key, Some(&proof), 7, SIGN_IN, 1_000).is_none(),
            "easier than asked for"
        );
        assert!(
            check(&ServerKey::from_bytes([4; 32]), Some(&proof), 6, SIGN_IN, 1_000).is_none(),
            "another key"
        );
        assert!(check(&key, None, 6, SIGN_IN, 1_000).is_none());
    }

    #[test]
    fn a_challenge_works_only_for_its_action_and_client() {
        let key = ServerKey::from_bytes([3; 32]);
        let proof = solve(&issue(&key, 6, SIGN_IN, 1_000));
        let registration = Binding {
            action: "registration",
            ..SIGN_IN
        };
        let elsewhere = Binding {
            client: "198.51.100.7",
            ..SIGN_IN
        };
        assert!(check(&key, Some(&proof), 6, SIGN_IN, 1_000).is_some());
        assert!(
            check(&key, Some(&proof), 6, registration, 1_000).is_none(),
            "another action"
        );
        assert!(
            check(&key, Some(&proof), 6, elsewhere, 1_000).is_none(),
            "another client"
        );
    }

    #[test]
    fn an_unsigned_or_altered_challenge_is_refused_even_when_solved() {
        let key = ServerKey::from_bytes([3; 32]);
        let challenge = issue(&key, 6, SIGN_IN, 1_000);
        // Same difficulty, a later expiry: only the signature can tell.
        let (body, signature) = challenge.rsplit_once('.').unwrap();
        let mut fields: Vec<&str> = body.split('.').collect();
        let later = "9999999999";
        fields[2] = later;
        let altered = format!("{}.{signature}", fields.join("."));
        assert!(
            check(&key, Some(&solve(&altered)), 6, SIGN_IN, 1_000).is_none(),
            "a changed expiry"
        );
        let unsigned = format!("{body}.{}", "00".repeat(32));
        assert!(
            check(&key, Some(&solve(&unsigned)), 6, SIGN_IN, 1_000).is_none(),
            "a made-up signature"
        );
        let not_a_solution = (0..)
            .find(|nonce| !pow::is_solution(&challenge, 6, *nonce))
            .unwrap();
        assert!(check(
            &key,
            Some(&pow::proof(&challenge, not_a_solution)),
            6,
            SIGN_IN,
            1_000
        )
        .is_none());
    }
}
