//! Issuing and redeeming proof-of-work challenges (the puzzle itself is in `crate::pow`).
//! A challenge is signed with the server key, expires, and is accepted once.

use std::time::Duration;

use rand::Rng;
use sqlx::SqliteConnection;

use super::{codes::ServerKey, db::challenges};
use crate::pow;

const CHALLENGE_TTL: Duration = Duration::from_secs(600);
const SIGNATURE_PURPOSE: &str = "proof-of-work challenge";

pub fn issue(key: &ServerKey, difficulty: u8, now: i64) -> String {
    let random: [u8; 16] = rand::rngs::OsRng.gen();
    let expires_at = now + CHALLENGE_TTL.as_secs() as i64;
    let body = format!("v1.{difficulty}.{expires_at}.{}", hex(&random));
    let signature = key.sign(SIGNATURE_PURPOSE, body.as_bytes());
    format!("{body}.{}", hex(&signature))
}

/// True when `proof` solves a challenge we issued, unexpired, at least `min_difficulty` hard,
/// and never redeemed before (it is marked used now).
pub async fn redeem(
    conn: &mut SqliteConnection,
    key: &ServerKey,
    proof: Option<&str>,
    min_difficulty: u8,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let Some((challenge, nonce)) = proof.and_then(pow::parse_proof) else {
        return Ok(false);
    };
    let Some((body, signature)) = challenge.rsplit_once('.') else {
        return Ok(false);
    };
    let signed = decode_hex(signature)
        .is_some_and(|signature| key.verify(SIGNATURE_PURPOSE, body.as_bytes(), &signature));
    let fields: Vec<&str> = body.split('.').collect();
    let (Some(difficulty), Some(expires_at)) = (
        fields.get(1).and_then(|raw| raw.parse::<u8>().ok()),
        fields.get(2).and_then(|raw| raw.parse::<i64>().ok()),
    ) else {
        return Ok(false);
    };
    if !signed
        || expires_at < now
        || difficulty < min_difficulty
        || !pow::is_solution(challenge, difficulty, nonce)
    {
        return Ok(false);
    }
    challenges::redeem(conn, challenge, expires_at).await
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|index| u8::from_str_radix(&text[index..index + 2], 16).ok())
        .collect()
}
