//! Limits: how they are written in the configuration, what their buckets are called, and the
//! sign-in delay rule. Counting happens in the store (`store::Store::take_limits` and the sign-in
//! reservation), atomically, so parallel requests and several instances meet the same limits.

use std::{str::FromStr, time::Duration};

/// "At most `max` hits in any `window`", counted per bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u32,
    pub window: Duration,
}

const MAX_HITS: u32 = 1_000_000;
const MAX_WINDOW_SECS: u64 = 7 * 24 * 3600;

impl RateLimit {
    pub fn window_secs(&self) -> i64 {
        // Bounded by MAX_WINDOW_SECS when parsed; saturate rather than wrap for hand-built values.
        i64::try_from(self.window.as_secs()).unwrap_or(i64::MAX)
    }
}

/// `"10/1h"`, `"30/5m"`, `"7/30s"`, `"10/1d"`.
impl FromStr for RateLimit {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let problem = || {
            format!(
                "expected hits/window like \"10/1h\", \"30/5m\" or \"5/30s\" (1 to {MAX_HITS} hits, \
                 a window of 1 s to 7 d), got {raw:?}"
            )
        };
        let (max, window) = raw.trim().split_once('/').ok_or_else(problem)?;
        let max = max.trim().parse::<u32>().map_err(|_| problem())?;
        let window = window.trim();
        let unit = match window.chars().last() {
            Some('s') => 1,
            Some('m') => 60,
            Some('h') => 3600,
            Some('d') => 86_400,
            _ => return Err(problem()),
        };
        let count = window[..window.len() - 1].parse::<u64>().map_err(|_| problem())?;
        let seconds = count.checked_mul(unit).ok_or_else(problem)?;
        if !(1..=MAX_HITS).contains(&max) || !(1..=MAX_WINDOW_SECS).contains(&seconds) {
            return Err(problem());
        }
        Ok(RateLimit {
            max,
            window: Duration::from_secs(seconds),
        })
    }
}

impl std::fmt::Display for RateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}s", self.max, self.window.as_secs())
    }
}

/// The names of the buckets limits are counted in. One place, so a flow and the store that
/// builds a bucket from a row's address always agree.
pub mod bucket {
    pub fn registrations(client: &str) -> String {
        format!("register:{client}")
    }
    pub fn resends(client: &str) -> String {
        format!("resend:{client}")
    }
    pub fn code_failures(client: &str) -> String {
        format!("code-failures:{client}")
    }
    pub fn sign_in_failures(client: &str) -> String {
        format!("sign-in-failures:{client}")
    }
    /// Passwords checked or hashed for one client, right or wrong.
    pub fn password_checks(client: &str) -> String {
        format!("password-checks:{client}")
    }
    /// Passkey ceremonies begun by one client (each keeps a row for 5 minutes).
    pub fn passkey_ceremonies(client: &str) -> String {
        format!("passkey-ceremonies:{client}")
    }
    /// Right and new passwords of one account.
    pub fn account_password_checks(user_id: i64) -> String {
        format!("password-checks:account {user_id}")
    }
    /// Wrong reset codes of the recoveries mailing one recipient.
    pub fn recovery_failures(recipient: &str) -> String {
        format!("recovery-failures:{recipient}")
    }
    pub fn mail_to(address: &str) -> String {
        format!("mail:{address}")
    }
    pub fn daily_mail_to(address: &str) -> String {
        format!("mail-daily:{address}")
    }
    /// All mail this deployment sends, whichever instance sends it.
    pub fn all_mail() -> String {
        "mail-all".to_string()
    }
    /// The cooldown between two codes of one flow (not a counted bucket; it names refusals).
    pub fn code_cooldown(flow_token: &str) -> String {
        format!("code-cooldown:{flow_token}")
    }
    /// Calls to the provider's token, userinfo and revocation endpoints from one address.
    pub fn app_requests(client: &str) -> String {
        format!("app-requests:{client}")
    }
    /// The same calls naming one client id.
    pub fn app_client_requests(client_id: &str) -> String {
        format!("app-requests:client {client_id}")
    }
    /// Sign-in attempts of one identifier (as typed, canonical) from one client.
    pub fn sign_in_attempts(identifier: &str, client: &str) -> String {
        format!("{identifier} from {client}")
    }
}

/// The wait after `consecutive` failures, the last at `last_failed_at`: none before `delay_after`
/// failures, then 1 s doubling per failure up to `max_delay_secs`. Returns the seconds left.
pub fn sign_in_delay(
    consecutive: i64,
    last_failed_at: i64,
    delay_after: u32,
    max_delay_secs: i64,
    now: i64,
) -> Option<u64> {
    let over = consecutive - i64::from(delay_after);
    if over < 0 {
        return None;
    }
    let delay = (1i64 << over.min(32)).min(max_delay_secs);
    let until = last_failed_at.saturating_add(delay);
    (until > now).then(|| u64::try_from(until - now).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_limits_within_bounds() {
        assert_eq!(
            "10/1h".parse(),
            Ok(RateLimit {
                max: 10,
                window: Duration::from_secs(3600)
            })
        );
        assert_eq!(
            " 30 / 5m ".parse(),
            Ok(RateLimit {
                max: 30,
                window: Duration::from_secs(300)
            })
        );
        assert_eq!(
            "10/1d".parse(),
            Ok(RateLimit {
                max: 10,
                window: Duration::from_secs(86_400)
            })
        );
        for bad in [
            "",
            "10",
            "10/",
            "0/1h",
            "10/0s",
            "ten/1h",
            "10/1w",
            "10/h",
            "10/8d",
            "2000000/1h",
            "1/99999999999999999999s",
            "1/9999999999999999d",
        ] {
            assert!(bad.parse::<RateLimit>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sign_in_delay_doubles_after_the_threshold_up_to_the_cap() {
        assert_eq!(sign_in_delay(4, 1000, 5, 300, 1000), None);
        assert_eq!(sign_in_delay(5, 1000, 5, 300, 1000), Some(1));
        assert_eq!(sign_in_delay(5, 1000, 5, 300, 1001), None, "the wait is over");
        assert_eq!(sign_in_delay(7, 1000, 5, 300, 1000), Some(4));
        assert_eq!(sign_in_delay(13, 1000, 5, 300, 1000), Some(256));
        assert_eq!(sign_in_delay(14, 1000, 5, 300, 1000), Some(300));
        assert_eq!(
            sign_in_delay(i64::MAX, i64::MAX, 5, 300, 1000),
            Some(u64::try_from(i64::MAX - 1000).unwrap())
        );
    }
}
