//! The rules of an emailed 6-digit code, whatever it proves: when it is no longer accepted
//! (expired, too many wrong guesses, the whole flow locked) and how it is minted. Pure functions
//! over a [`CodeFlow`]; the clock is passed in, and both stores apply the same rules inside their
//! transactions.

use super::{
    domain::{CodeFlow, CodePurpose, CodeRules, CodeVerdict, MintedCode, PrivateRecipient},
    keys::{new_nonce, ServerKey},
};
use crate::model::CodeState;

/// What the current code of `flow` is worth at `now`.
pub fn state(flow: &CodeFlow, now: i64, rules: CodeRules) -> CodeState {
    if flow_locked(flow, rules) {
        return CodeState::Locked;
    }
    let attempts_left =
        u32::try_from((i64::from(rules.max_attempts) - flow.code_failed_attempts).max(0)).unwrap_or(0);
    match (flow.code_sent_at, flow.code_expires_at) {
        (Some(_), Some(_)) if attempts_left == 0 => CodeState::Locked,
        (Some(_), Some(expires_at)) if now >= expires_at => CodeState::Expired,
        (Some(_), Some(expires_at)) => CodeState::Sent {
            seconds_left: u64::try_from(expires_at - now).unwrap_or(0),
            attempts_left,
        },
        _ => CodeState::Sending {
            delivery_failures: u32::try_from(flow.unsent_delivery_failures.unwrap_or(0)).unwrap_or(u32::MAX),
        },
    }
}

/// Too many wrong codes over the whole flow: a new code does not help, it must start again.
pub fn flow_locked(flow: &CodeFlow, rules: CodeRules) -> bool {
    flow.total_failed_attempts >= i64::from(rules.max_total_failures)
}

/// Whether a guess may be compared at all; the refusal otherwise (counted like a wrong guess).
pub fn admits_guess(flow: &CodeFlow, now: i64, rules: CodeRules) -> Result<(), CodeVerdict> {
    if flow_locked(flow, rules) {
        return Err(CodeVerdict::FlowLocked);
    }
    match state(flow, now, rules) {
        CodeState::Sent { .. } => Ok(()),
        CodeState::Sending { .. } => Err(CodeVerdict::NotSentYet),
        CodeState::Expired => Err(CodeVerdict::Expired),
        CodeState::Locked => Err(CodeVerdict::CodeLocked),
    }
}

/// The verdict on a wrong guess, given the counts before it.
pub fn wrong_guess(flow: &CodeFlow, rules: CodeRules) -> CodeVerdict {
    let attempts_left = i64::from(rules.max_attempts) - flow.code_failed_attempts - 1;
    CodeVerdict::Wrong {
        attempts_left: u32::try_from(attempts_left.max(0)).unwrap_or(0),
        flow_locked: flow.total_failed_attempts + 1 >= i64::from(rules.max_total_failures),
    }
}

/// How long a code of `purpose` is valid: from the moment its mail is sent, or for a recovery
/// code from the request (`private_recipient`).
pub fn lifetime(
    settings: &crate::server::config::Settings,
    purpose: CodePurpose,
) -> crate::server::config::Seconds {
    match purpose {
        CodePurpose::Recovery => settings.recovery_code_ttl_secs,
        CodePurpose::Registration | CodePurpose::EmailChange => settings.code_ttl_secs,
    }
}

/// A recovery keeps its recipient private (see [`PrivateRecipient`]); the other flows' recipient
/// is the address their user typed in the same flow.
pub fn private_recipient(
    settings: &crate::server::config::Settings,
    purpose: CodePurpose,
) -> Option<PrivateRecipient> {
    (purpose == CodePurpose::Recovery).then(|| recovery_privacy(settings))
}

pub fn recovery_privacy(settings: &crate::server::config::Settings) -> PrivateRecipient {
    PrivateRecipient {
        code_lifetime_secs: lifetime(settings, CodePurpose::Recovery).signed(),
        failures: settings.recovery_failures_per_account,
    }
}

/// A new code for the flow `flow_token`: its keyed hash for the database and the nonce its mail
/// will derive the digits from.
pub fn mint(key: &ServerKey, purpose: CodePurpose, flow_token: &str) -> MintedCode {
    let nonce = new_nonce();
    let code = key.derive_code(&nonce);
    MintedCode {
        hash: key.code_hash(purpose.as_str(), flow_token, &code),
        nonce,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: CodeRules = CodeRules {
        max_attempts: 5,
        max_total_failures: 100,
    };

    fn flow(sent_at: Option<i64>, expires_at: Option<i64>, failed: i64, total: i64) -> CodeFlow {
        CodeFlow {
            email: "a@b.co".into(),
            code_sent_at: sent_at,
            code_expires_at: expires_at,
            code_failed_attempts: failed,
            total_failed_attempts: total,
            last_requested_at: 0,
            unsent_delivery_failures: None,
        }
    }

    #[test]
    fn a_code_expires_at_its_instant_not_a_second_later() {
        let sent = flow(Some(700), Some(1_000), 0, 0);
        assert_eq!(
            state(&sent, 700, RULES),
            CodeState::Sent {
                seconds_left: 300,
                attempts_left: 5
            }
        );
        assert_eq!(
            state(&sent, 999, RULES),
            CodeState::Sent {
                seconds_left: 1,
                attempts_left: 5
            }
        );
        assert_eq!(state(&sent, 1_000, RULES), CodeState::Expired);
        assert_eq!(admits_guess(&sent, 1_000, RULES), Err(CodeVerdict::Expired));
        assert_eq!(admits_guess(&sent, 999, RULES), Ok(()));
    }

    #[test]
    fn five_wrong_guesses_lock_the_code_and_a_hundred_the_flow() {
        let four = flow(Some(0), Some(1_000), 4, 4);
        assert_eq!(
            state(&four, 0, RULES),
            CodeState::Sent {
                seconds_left: 1_000,
                attempts_left: 1
            }
        );
        assert_eq!(
            wrong_guess(&four, RULES),
            CodeVerdict::Wrong {
                attempts_left: 0,
                flow_locked: false
            }
        );
        assert_eq!(
            admits_guess(&flow(Some(0), Some(1_000), 5, 5), 0, RULES),
            Err(CodeVerdict::CodeLocked)
        );
        assert_eq!(
            admits_guess(&flow(Some(0), Some(1_000), 0, 100), 0, RULES),
            Err(CodeVerdict::FlowLocked)
        );
        assert_eq!(
            wrong_guess(&flow(Some(0), Some(1_000), 0, 99), RULES),
            CodeVerdict::Wrong {
                attempts_left: 4,
                flow_locked: true
            }
        );
    }

    #[test]
    fn a_code_not_sent_yet_cannot_be_guessed() {
        let queued = CodeFlow {
            unsent_delivery_failures: Some(2),
            ..flow(None, None, 0, 0)
        };
        assert_eq!(
            state(&queued, 0, RULES),
            CodeState::Sending { delivery_failures: 2 }
        );
        assert_eq!(admits_guess(&queued, 0, RULES), Err(CodeVerdict::NotSentYet));
    }

    #[test]
    fn a_minted_code_is_stored_only_as_a_hash_of_the_derived_digits() {
        let key = ServerKey::from_bytes([5; 32]);
        let minted = mint(&key, CodePurpose::Registration, "flow");
        let code = key.derive_code(&minted.nonce);
        assert!(key.code_matches("registration", "flow", &code, &minted.hash));
        assert!(!minted.hash.windows(6).any(|window| window == code.as_bytes()));
    }
}
