//! The second factor: codes from an authenticator app (TOTP, RFC 6238 with SHA-1, 6 digits and
//! 30-second steps: what every app reads) and single-use recovery codes for a lost phone.
//!
//! The app's secret is 160 bits from the OS generator, stored only sealed under a key derived from
//! the server key and bound to the account. Recovery codes are stored as keyed hashes.

use qrcode::{render::svg, EcLevel, QrCode};
use rand::Rng;
use totp_rs::{Algorithm, Builder, Secret, Totp};

use crate::server::keys::ServerKey;

const SECRET_BYTES: usize = 20;
const STEP_SECS: u64 = 30;
const SEAL_PURPOSE: &str = "totp secret";
/// Crockford's base 32: digits and letters without I, L, O and U, so nothing reads as another.
const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 16 symbols of 5 bits: 80 bits each.
const RECOVERY_CODE_SYMBOLS: usize = 16;
/// Sets made before held 10 symbols (50 bits); those codes still work until used or replaced.
const EARLIER_RECOVERY_CODE_SYMBOLS: usize = 10;
pub const RECOVERY_CODES_PER_SET: usize = 10;

pub fn new_secret() -> Vec<u8> {
    rand::rngs::OsRng.gen::<[u8; SECRET_BYTES]>().to_vec()
}

pub fn seal_secret(key: &ServerKey, user_id: i64, secret: &[u8]) -> Vec<u8> {
    key.seal(SEAL_PURPOSE, &user_id.to_be_bytes(), secret)
}

pub fn open_secret(key: &ServerKey, user_id: i64, sealed: &[u8]) -> Option<Vec<u8>> {
    key.open(SEAL_PURPOSE, &user_id.to_be_bytes(), sealed)
}

/// `issuer` is the site's name (empty where only the code matters); authenticator apps show it.
fn totp(secret: &[u8], issuer: &str, account_name: &str) -> Totp {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(STEP_SECS)
        .with_secret(Secret::from(secret))
        .with_issuer((!issuer.is_empty()).then(|| issuer.replace(':', " ")))
        .with_account_name(account_name.replace(':', " "))
        .build()
        .expect("a 160-bit secret, 6 digits and a colon-free label are valid")
}

/// The time step (`now / 30`) of the code `code` is, within one step either side of `now`.
pub fn matching_step(secret: &[u8], code: &str, now: i64) -> Option<i64> {
    let now = u64::try_from(now).ok()?;
    totp(secret, "", "")
        .check(code, now)
        .and_then(|step| i64::try_from(step).ok())
}

/// A code's step is accepted once per account: only steps after the last accepted one count
/// (the store applies the same rule atomically when it records the step).
pub fn is_fresh_step(step: i64, last_used_step: Option<i64>) -> bool {
    last_used_step.is_none_or(|last| step > last)
}

/// What the enrolment page shows: the secret in groups of four for typing by hand, and the same
/// secret as a QR code (inline SVG, drawn here: nothing is fetched from elsewhere).
pub struct Enrolment {
    pub grouped_secret: String,
    pub qr_svg: String,
    /// The `otpauth://` URL the QR code holds, as a link for the app on the same device.
    pub url: String,
}

pub fn enrolment(secret: &[u8], issuer: &str, account_name: &str) -> Enrolment {
    let totp = totp(secret, issuer, account_name);
    let url = totp.to_url().expect("the label is set");
    let svg = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .expect("an otpauth URL fits a QR code")
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // An inline <svg> in HTML takes no XML declaration.
    let qr_svg = svg
        .find("<svg")
        .map_or(svg.clone(), |start| svg[start..].to_string());
    let base32 = totp.secret().to_base32();
    let grouped_secret = base32
        .as_bytes()
        .chunks(4)
        .map(|group| std::str::from_utf8(group).expect("base32 is ASCII"))
        .collect::<Vec<_>>()
        .join(" ");
    Enrolment {
        grouped_secret,
        qr_svg,
        url,
    }
}

/// What was typed at the second step.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// Six digits from the app.
    AppCode(String),
    /// A recovery code, normalised (upper case, no separators, look-alikes mapped).
    RecoveryCode(String),
}

/// Reads the second step's field: six digits (spaces allowed) or a recovery code (any case,
/// dashes and spaces allowed, O read as 0 and I or L as 1). Anything else is `None`.
pub fn parse_answer(input: &str) -> Option<Answer> {
    if input.len() > 64 {
        return None;
    }
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if compact.len() == 6 && compact.bytes().all(|byte| byte.is_ascii_digit()) {
        return Some(Answer::AppCode(compact));
    }
    let normalized: String = compact
        .to_ascii_uppercase()
        .chars()
        .map(|c| match c {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    let valid = [RECOVERY_CODE_SYMBOLS, EARLIER_RECOVERY_CODE_SYMBOLS].contains(&normalized.len())
        && normalized.bytes().all(|byte| RECOVERY_ALPHABET.contains(&byte));
    valid.then_some(Answer::RecoveryCode(normalized))
}

/// A fresh set of recovery codes, as shown to the user: four groups of four (`7K3Q-DM9X-TA2B-C4EF`).
pub fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODES_PER_SET)
        .map(|_| {
            let symbols: String = (0..RECOVERY_CODE_SYMBOLS)
                .map(|_| char::from(RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())]))
                .collect();
            symbols
                .as_bytes()
                .chunks(4)
                .map(|group| std::str::from_utf8(group).expect("the alphabet is ASCII"))
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// What the database keeps of a recovery code (given as shown or normalised).
pub fn recovery_code_hash(key: &ServerKey, user_id: i64, code: &str) -> Vec<u8> {
    let normalized: String = code.chars().filter(|c| *c != '-').collect();
    key.sign_parts("recovery code", &[&user_id.to_be_bytes(), normalized.as_bytes()])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_at(secret: &[u8], time: i64) -> String {
        totp(secret, "", "")
            .generate(u64::try_from(time).unwrap())
            .to_string()
    }

    #[test]
    fn codes_match_within_one_step_either_side_and_no_further() {
        let secret = new_secret();
        let now = 1_764_000_015; // 15 s into step 58_800_000
        let step = now / 30;
        for (offset, accepted) in [(-2, false), (-1, true), (0, true), (1, true), (2, false)] {
            let code = code_at(&secret, (step + offset) * 30);
            let expected = accepted.then_some(step + offset);
            // A code of a far step may collide with a near one by chance (1 in 10^6 per step).
            if !accepted && matching_step(&secret, &code, now).is_some() {
                continue;
            }
            assert_eq!(matching_step(&secret, &code, now), expected, "offset {offset}");
        }
        assert_eq!(matching_step(&secret, "12345", now), None);
        assert_eq!(matching_step(&secret, "abcdef", now), None);
    }

    #[test]
    fn a_step_once_accepted_is_refused_again() {
        let secret = new_secret();
        let now = 1_764_000_000;
        let step = matching_step(&secret, &code_at(&secret, now), now).unwrap();
        assert!(is_fresh_step(step, None));
        assert!(is_fresh_step(step, Some(step - 1)));
        assert!(!is_fresh_step(step, Some(step)), "the same code again");
        assert!(
            !is_fresh_step(step - 1, Some(step)),
            "an older code after a newer one"
        );
    }

    #[test]
    fn the_rfc_6238_test_vector_holds() {
        // RFC 6238, appendix B: SHA-1, secret "12345678901234567890", T = 59 s -> 94287082 (8
        // digits); its last six digits are the 6-digit code.
        let secret = b"12345678901234567890";
        assert_eq!(code_at(secret, 59), "287082");
        assert_eq!(matching_step(secret, "287082", 59), Some(1));
    }

    #[test]
    fn the_secret_is_sealed_and_opens_only_for_its_account() {
        let key = ServerKey::from_bytes([9; 32]);
        let secret = new_secret();
        assert_eq!(secret.len(), 20);
        let sealed = seal_secret(&key, 7, &secret);
        assert_eq!(open_secret(&key, 7, &sealed), Some(secret.clone()));
        assert_eq!(open_secret(&key, 8, &sealed), None);
        assert_eq!(open_secret(&ServerKey::from_bytes([10; 32]), 7, &sealed), None);
    }

    #[test]
    fn the_enrolment_shows_the_secret_grouped_and_a_qr_code() {
        let enrolment = enrolment(&[0u8; 20], "North: wind", "alice");
        assert!(
            enrolment.url.starts_with("otpauth://totp/North%20%20wind:alice?"),
            "{}",
            enrolment.url
        );
        assert!(
            enrolment.url.contains("issuer=North%20%20wind"),
            "{}",
            enrolment.url
        );
        assert_eq!(
            enrolment.grouped_secret,
            "AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA"
        );
        assert!(enrolment.qr_svg.starts_with("<svg") && enrolment.qr_svg.ends_with("</svg>"));
        assert!(!enrolment.qr_svg.contains("<?xml"));
    }

    #[test]
    fn answers_are_read_forgivingly() {
        assert_eq!(parse_answer(" 123 456 "), Some(Answer::AppCode("123456".into())));
        assert_eq!(
            parse_answer("7k3q-dm9x-ta2b-c4ef"),
            Some(Answer::RecoveryCode("7K3QDM9XTA2BC4EF".into()))
        );
        assert_eq!(
            parse_answer("7k3qd-m9xta"),
            Some(Answer::RecoveryCode("7K3QDM9XTA".into())),
            "a code of an earlier set"
        );
        assert_eq!(
            parse_answer("OIL23 45678"),
            Some(Answer::RecoveryCode("0112345678".into()))
        );
        for bad in [
            "",
            "12345",
            "1234567",
            "7K3QD-M9XTU",
            "7K3QD-M9XT",
            "7K3Q-DM9X-TA2B-C4E",
            "7K3Q-DM9X-TA2B-C4EFG",
            "💥",
            &"1".repeat(100),
        ] {
            assert_eq!(parse_answer(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn recovery_codes_have_eighty_bits_and_hash_the_same_however_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), 10);
        let key = ServerKey::from_bytes([5; 32]);
        for code in &codes {
            assert_eq!(code.len(), 19);
            assert_eq!(code.split('-').map(str::len).collect::<Vec<_>>(), [4, 4, 4, 4]);
            let Some(Answer::RecoveryCode(typed)) = parse_answer(&code.to_lowercase()) else {
                panic!("{code} reads back");
            };
            assert_eq!(
                recovery_code_hash(&key, 1, &typed),
                recovery_code_hash(&key, 1, code)
            );
            assert_ne!(
                recovery_code_hash(&key, 2, code),
                recovery_code_hash(&key, 1, code)
            );
        }
    }
}
