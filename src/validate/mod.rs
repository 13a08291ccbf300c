//! Field rules. Compiled into the server (the authority) and into the WASM bundle (instant
//! feedback as the user types), so both always agree.

mod problem;

use serde::{Deserialize, Serialize};
#[cfg(not(target_arch = "wasm32"))]
use unicode_normalization::UnicodeNormalization;

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 32;
pub const EMAIL_MAX: usize = 254;
const EMAIL_LOCAL_MAX: usize = 64;
/// The floor for the configurable minimum password length (NIST SP 800-63B).
pub const PASSWORD_MIN_FLOOR: usize = 8;
pub const PASSWORD_MIN_DEFAULT: usize = 15;
pub const PASSWORD_MAX: usize = 128;
/// Checked before any normalisation work, so a huge field costs nothing.
pub const PASSWORD_MAX_BYTES: usize = 1024;
pub const CODE_DIGITS: usize = 6;

/// Names that would let someone impersonate the operator.
const RESERVED_USERNAMES: &[&str] = &[
    "abuse",
    "admin",
    "administrator",
    "gatehouse",
    "hostmaster",
    "mailer-daemon",
    "noreply",
    "no-reply",
    "postmaster",
    "root",
    "security",
    "support",
    "system",
    "webmaster",
];

/// The 10,000 most common passwords of 8 characters or more, lower-cased (SecLists, CC BY-SA 3.0).
/// A server check only: 90 KB is too much to send every visitor.
#[cfg(feature = "ssr")]
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

pub use problem::Problem;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Username,
    Email,
    Password,
    PasswordConfirm,
    Code,
    Identifier,
    CurrentPassword,
    /// A typed confirmation (deleting the account).
    Confirmation,
    GroupName,
    /// An app's registration in the console ("Sign in with Gatehouse").
    OidcClient,
    PasskeyName,
    /// How many days an invitation's link works.
    InvitationDays,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

/// A registration whose fields all passed, in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRegistration {
    pub username: String,
    pub email: String,
    /// NFKC-normalised: what gets hashed, here and at every sign-in.
    pub password: String,
}

pub fn registration(
    username: &str,
    email: &str,
    password: &str,
    password_confirm: &str,
    site_name: &str,
    password_min: usize,
) -> Result<ValidRegistration, Vec<(Field, Problem)>> {
    let mut errors = Vec::new();
    let mut check = |field: Field, outcome: Result<(), Problem>| {
        if let Err(problem) = outcome {
            errors.push((field, problem));
        }
    };
    let canonical_username = self::username(username);
    let canonical_email = self::email(email);
    check(
        Field::Username,
        canonical_username
            .as_ref()
            .map(|_| ())
            .map_err(|problem| *problem),
    );
    check(
        Field::Email,
        canonical_email.as_ref().map(|_| ()).map_err(|problem| *problem),
    );
    check(
        Field::Password,
        self::password(password, username, email, site_name, password_min),
    );
    check(
        Field::PasswordConfirm,
        passwords_match(password, password_confirm),
    );
    match (canonical_username, canonical_email, errors.is_empty()) {
        (Ok(username), Ok(email), true) => Ok(ValidRegistration {
            username,
            email,
            password: normalize_password(password),
        }),
        _ => Err(errors),
    }
}

/// Returns the canonical (lower-case) username.
pub fn username(raw: &str) -> Result<String, Problem> {
    let name: String = nfkc(raw.trim()).to_lowercase();
    let length = name.chars().count();
    if !(USERNAME_MIN..=USERNAME_MAX).contains(&length) {
        return Err(Problem::UsernameLength {
            min: USERNAME_MIN,
            max: USERNAME_MAX,
            length,
        });
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
    {
        return Err(Problem::UsernameCharacters);
    }
    if RESERVED_USERNAMES.contains(&name.as_str()) {
        return Err(Problem::UsernameReserved);
    }
    Ok(name)
}

/// Returns the canonical (lower-case) address. Quoted local parts, IP-literal domains and
/// non-ASCII addresses are refused: they are legal but rare, and a frequent vehicle for abuse.
pub fn email(raw: &str) -> Result<String, Problem> {
    let address = raw.trim().to_lowercase();
    if address.is_empty() {
        return Err(Problem::EmailMissing);
    }
    if address.chars().count() > EMAIL_MAX {
        return Err(Problem::TooLong { max: EMAIL_MAX });
    }
    let invalid = || Err(Problem::EmailInvalid);
    let Some((local, domain)) = address.split_once('@') else {
        return invalid();
    };
    let local_ok = !local.is_empty()
        && local.len() <= EMAIL_LOCAL_MAX
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| {
            tld.len() >= 2 && (tld.chars().all(|c| c.is_ascii_alphabetic()) || tld.starts_with("xn--"))
        });
    if local_ok && domain_ok {
        Ok(address)
    } else {
        invalid()
    }
}

/// NFKC, so the same password typed with composed or decomposed accents is the same password.
pub fn normalize_password(raw: &str) -> String {
    nfkc(raw)
}

#[cfg(not(target_arch = "wasm32"))]
fn nfkc(raw: &str) -> String {
    raw.nfkc().collect()
}

/// The browser's own `String.prototype.normalize`: the Unicode tables are already there, so the
/// bundle does not carry a second copy. (The server's check stays the authority.)
#[cfg(target_arch = "wasm32")]
fn nfkc(raw: &str) -> String {
    js_sys::JsString::from(raw).normalize("NFKC").into()
}

/// Length is counted in Unicode code points after NFKC. No composition rules (NIST SP 800-63B);
/// instead, common, repetitive and context-derived passwords are refused.
/// `site_name` is `GATEHOUSE_SITE_NAME`; the browser leaves that rule to the server (an empty name
/// checks nothing), so the register page's code carries no setting it does not need.
pub fn password(
    raw: &str,
    username: &str,
    email: &str,
    site_name: &str,
    min_length: usize,
) -> Result<(), Problem> {
    if raw.len() > PASSWORD_MAX_BYTES {
        return Err(Problem::TooLong { max: PASSWORD_MAX });
    }
    let normalized = normalize_password(raw);
    let length = normalized.chars().count();
    if length < min_length {
        return Err(Problem::PasswordTooShort {
            min: min_length,
            length,
        });
    }
    if length > PASSWORD_MAX {
        return Err(Problem::PasswordTooLong {
            max: PASSWORD_MAX,
            length,
        });
    }
    let lower = normalized.to_lowercase();
    if is_common(&lower) {
        return Err(Problem::PasswordCommon);
    }
    if is_predictable(&lower) {
        return Err(Problem::PasswordPredictable);
    }
    let username = username.trim().to_lowercase();
    if username.chars().count() >= USERNAME_MIN && lower.contains(&username) {
        return Err(Problem::PasswordHasUsername);
    }
    let email_local = email.trim().to_lowercase();
    let email_local = email_local.split('@').next().unwrap_or_default();
    if email_local.chars().count() >= 4 && lower.contains(email_local) {
        return Err(Problem::PasswordHasEmail);
    }
    let site_name = site_name.trim().to_lowercase();
    if site_name.chars().count() >= 4 && lower.contains(&site_name) {
        return Err(Problem::PasswordHasSiteName);
    }
    Ok(())
}

pub fn passwords_match(password: &str, confirmation: &str) -> Result<(), Problem> {
    if normalize_password(password) == normalize_password(confirmation) {
        Ok(())
    } else {
        Err(Problem::PasswordsDiffer)
    }
}

/// Accepts the code with spaces or hyphens a user may type or paste; returns its six digits.
pub fn code(raw: &str) -> Result<String, Problem> {
    if raw.len() > 64 {
        return Err(Problem::Code);
    }
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.len() == CODE_DIGITS && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(Problem::Code)
    }
}

/// The sign-in field takes a username or an email address; returns it in the canonical form
/// registration stores (NFKC, lower-case). Control, bidirectional and zero-width characters are
/// refused, as at registration: they would make two identifiers look alike.
pub fn identifier(raw: &str) -> Result<String, Problem> {
    if raw.len() > 4 * EMAIL_MAX {
        return Err(Problem::TooLong { max: EMAIL_MAX });
    }
    let identifier = nfkc(raw.trim()).to_lowercase();
    if identifier.is_empty() {
        Err(Problem::IdentifierMissing)
    } else if identifier.chars().count() > EMAIL_MAX {
        Err(Problem::TooLong { max: EMAIL_MAX })
    } else if identifier
        .chars()
        .any(|c| c.is_control() || is_invisible_format(c))
    {
        Err(Problem::IdentifierInvisible)
    } else {
        Ok(identifier)
    }
}

/// What a password recovery may be asked for: a username, or one plain address as registration
/// takes it. The code is mailed there, so `p1 <victim@example.com>`, `@@x` or `a@b@c` are refused
/// here rather than queued as mail that reaches a victim under a fresh cap, or never leaves.
pub fn recovery_identifier(raw: &str) -> Result<String, Problem> {
    let identifier = identifier(raw)?;
    if identifier.contains('@') {
        email(&identifier)
    } else {
        Ok(identifier)
    }
}

/// Longest group name: what access rules and the `Remote-Groups` header carry.
pub const GROUP_NAME_MAX: usize = 64;

/// A group's name as rules and headers spell it: lower-case ASCII letters, digits, `-` and `_`
/// (so a comma-separated list of them is never ambiguous). Surrounding spaces are dropped.
pub fn group_name(raw: &str) -> Result<String, Problem> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(Problem::GroupNameMissing);
    }
    if name.len() > GROUP_NAME_MAX {
        return Err(Problem::GroupNameTooLong { max: GROUP_NAME_MAX });
    }
    if !name
        .bytes()
        .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-' || byte == b'_')
    {
        return Err(Problem::GroupNameCharacters);
    }
    Ok(name.to_string())
}

/// Bidirectional controls and zero-width characters: invisible, and able to reorder or split text.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(not(feature = "ssr"))]
fn is_common(_lower: &str) -> bool {
    false
}

#[cfg(feature = "ssr")]
fn is_common(lower: &str) -> bool {
    let listed = |candidate: &str| COMMON_PASSWORDS.lines().any(|line| line == candidate);
    // "Password123!" is no better than "password": also look up the word without its tail.
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    listed(lower) || (stem.chars().count() >= PASSWORD_MIN_FLOOR && listed(stem))
}

/// Few distinct characters (`aaaaaaaaaaaaaaaa`, `abababab…`) or one constant step
/// (`123456789012345` wraps, so steps are compared modulo 10 for digits).
fn is_predictable(lower: &str) -> bool {
    let chars: Vec<char> = lower.chars().collect();
    let mut distinct = chars.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 4 {
        return true;
    }
    let step = |a: char, b: char| {
        if a.is_ascii_digit() && b.is_ascii_digit() {
            (b as i32 - a as i32).rem_euclid(10)
        } else {
            b as i32 - a as i32
        }
    };
    let first = step(chars[0], chars[1]);
    chars.windows(2).all(|pair| step(pair[0], pair[1]) == first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_canonical_and_limited() {
        assert_eq!(username("  Alice.B_1 ").as_deref(), Ok("alice.b_1"));
        assert!(username("ab").is_err());
        assert!(username(&"a".repeat(33)).is_err());
        assert!(username(&"a".repeat(32)).is_ok());
        assert!(username("al ice").is_err());
        assert!(username("аdmin").is_err(), "Cyrillic а is refused");
        assert!(username("Admin").is_err(), "reserved, case-insensitively");
        assert!(username("alice\u{202E}").is_err());
        assert!(username("bob'--").is_err());
    }

    #[test]
    fn emails_are_lower_cased_and_strict() {
        assert_eq!(email(" Alice@Example.COM ").as_deref(), Ok("alice@example.com"));
        assert!(email("a@b.co").is_ok());
        assert!(email("\"x\"@y.com").is_err());
        assert!(email("x@[127.0.0.1]").is_err());
        assert!(email("no-at-sign").is_err());
        assert!(email("a@localhost").is_err());
        assert!(email("a..b@example.com").is_err());
        assert!(email("victim@x.test\r\nBcc: attacker@y.test").is_err());
        assert!(email(&format!("{}@example.com", "a".repeat(243))).is_err());
        assert!(email(&format!("{}@example.com", "a".repeat(65))).is_err());
    }

    #[test]
    fn password_length_counts_code_points_after_nfkc() {
        assert!(password(&"😀🙂🙃🤔😎".repeat(3), "alice", "a@b.co", "Gatehouse", 15).is_ok());
        assert!(password(&"😀🙂🙃🤔".repeat(3), "alice", "a@b.co", "Gatehouse", 15).is_err());
        assert!(password("correct horse battery staple", "alice", "a@b.co", "Gatehouse", 15).is_ok());
        assert!(
            password(&"x7Rq".repeat(33), "alice", "a@b.co", "Gatehouse", 15).is_err(),
            "132 > 128"
        );
        assert!(
            password(&"é".repeat(600), "alice", "a@b.co", "Gatehouse", 15).is_err(),
            "over 1 KiB"
        );
        // Precomposed and decomposed forms normalise to the same password.
        assert_eq!(
            normalize_password("pässwörd"),
            normalize_password("pa\u{308}sswo\u{308}rd")
        );
    }

    #[test]
    fn common_repetitive_and_contextual_passwords_are_refused() {
        assert!(password("password1234", "alice", "a@b.co", "Gatehouse", 8).is_err());
        assert!(password("qwertyuiop123", "alice", "a@b.co", "Gatehouse", 8).is_err());
        assert!(password("aaaaaaaaaaaaaaa", "alice", "a@b.co", "Gatehouse", 15).is_err());
        assert!(password("123456789012345", "alice", "a@b.co", "Gatehouse", 15).is_err());
        assert!(password("alice-in-wonderland-9", "alice", "a@b.co", "Gatehouse", 15).is_err());
        assert!(password(
            "mailbox-of-carol-smith",
            "bob",
            "carol-smith@b.co",
            "Gatehouse",
            15
        )
        .is_err());
        assert!(password("Gatehouse2024!!!", "bob", "a@b.co", "Gatehouse", 15).is_err());
        assert!(
            password("Gatehouse2024!!!", "bob", "a@b.co", "", 15).is_ok(),
            "the browser's check"
        );
        assert!(password("my-northwind-pass-1", "bob", "a@b.co", "Northwind", 15).is_err());
        assert!(password("tulip-orbit-marble-7", "bob", "a@b.co", "Gatehouse", 15).is_ok());
    }

    #[test]
    fn identifiers_are_canonical_and_refuse_invisible_characters() {
        assert_eq!(
            identifier("  ＡＬＩＣＥ ").as_deref(),
            Ok("alice"),
            "NFKC folds full-width letters"
        );
        assert_eq!(identifier("Bob@Example.COM").as_deref(), Ok("bob@example.com"));
        for hostile in [
            "ali\u{202E}ce",
            "ali\u{200B}ce",
            "ali\u{0007}ce",
            "\u{FEFF}alice",
            "a\u{2066}b",
        ] {
            assert!(identifier(hostile).is_err(), "{hostile:?}");
        }
        assert!(identifier(&"a".repeat(2000)).is_err());
        assert!(identifier("").is_err());
    }

    #[test]
    fn a_recovery_names_a_username_or_one_plain_address() {
        assert_eq!(recovery_identifier(" Alice ").as_deref(), Ok("alice"));
        assert_eq!(
            recovery_identifier("Bob@Example.COM").as_deref(),
            Ok("bob@example.com")
        );
        for hostile in [
            "p1 <victim@example.com>",
            "@@x",
            "a@b@c",
            "victim@example.com, p2@x.org",
            "a@b",
        ] {
            assert!(recovery_identifier(hostile).is_err(), "{hostile:?}");
        }
    }

    #[test]
    fn codes_are_six_digits() {
        assert_eq!(code(" 012 345 ").as_deref(), Ok("012345"));
        assert!(code("12345").is_err());
        assert!(code("1234567").is_err());
        assert!(code("12345a").is_err());
        assert!(
            code("１２３４５６").is_err(),
            "full-width digits are not ASCII digits"
        );
    }

    #[test]
    fn registration_reports_every_bad_field() {
        let errors = registration("x", "nope", "short", "other", "Gatehouse", 15).unwrap_err();
        let fields: Vec<Field> = errors.iter().map(|(field, _)| *field).collect();
        assert_eq!(
            fields,
            vec![
                Field::Username,
                Field::Email,
                Field::Password,
                Field::PasswordConfirm
            ]
        );
        let ok = registration(
            "Alice",
            "Alice@Example.com",
            "tulip-orbit-marble-7",
            "tulip-orbit-marble-7",
            "Gatehouse",
            15,
        )
        .unwrap();
        assert_eq!(
            (ok.username.as_str(), ok.email.as_str()),
            ("alice", "alice@example.com")
        );
    }
}
