//! Rate limits over sliding windows, counted in the database (`rate_limit_hits`), so they hold
//! across restarts and instances. Each limit is "at most `max` hits in `window`" per bucket, a
//! bucket being e.g. the registrations of one client or the mail to one address.

use std::{str::FromStr, time::Duration};

use sqlx::SqliteConnection;

use super::db::rate_limits;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u32,
    pub window: Duration,
}

/// `"10/1h"`, `"30/5m"`, `"7/30s"`.
impl FromStr for RateLimit {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let problem = || format!("expected hits/window like \"10/1h\", \"30/5m\" or \"5/30s\", got {raw:?}");
        let (max, window) = raw.trim().split_once('/').ok_or_else(problem)?;
        let max = max.trim().parse::<u32>().map_err(|_| problem())?;
        let window = window.trim();
        let unit = match window.chars().last() {
            Some('s') => 1,
            Some('m') => 60,
            Some('h') => 3600,
            _ => return Err(problem()),
        };
        let count = window[..window.len() - 1].parse::<u64>().map_err(|_| problem())?;
        if max == 0 || count == 0 {
            return Err(problem());
        }
        Ok(RateLimit {
            max,
            window: Duration::from_secs(count * unit),
        })
    }
}

/// `bucket("register", client.limit_key())` → `"register:203.0.113.7"`.
pub fn bucket(kind: &str, subject: &str) -> String {
    format!("{kind}:{subject}")
}

/// Seconds until `bucket` holds fewer than `threshold` hits in `window`; `None` if it already does.
pub async fn wait_below(
    conn: &mut SqliteConnection,
    bucket: &str,
    window: Duration,
    threshold: u32,
    now: i64,
) -> Result<Option<u64>, sqlx::Error> {
    let since = now - window.as_secs() as i64;
    let hits = rate_limits::count_since(conn, bucket, since).await?;
    if hits < i64::from(threshold) {
        return Ok(None);
    }
    // The oldest hits leave the window first; once `hits - threshold + 1` have left, one more fits.
    let leaving = rate_limits::nth_since(conn, bucket, since, hits - i64::from(threshold)).await?;
    Ok(Some(leaving.map_or(1, |at| {
        (at + window.as_secs() as i64 - now).max(1) as u64
    })))
}

/// `Err(RateLimited)` with the wait when `bucket` is full.
pub async fn check(
    conn: &mut SqliteConnection,
    bucket: &str,
    limit: RateLimit,
    now: i64,
) -> Result<(), AppError> {
    match wait_below(conn, bucket, limit.window, limit.max, now).await? {
        Some(retry_after_secs) => Err(AppError::RateLimited { retry_after_secs }),
        None => Ok(()),
    }
}

pub async fn hit(conn: &mut SqliteConnection, bucket: &str, now: i64) -> Result<(), sqlx::Error> {
    rate_limits::record(conn, bucket, now).await
}

/// The wait a sign-in target must keep after `consecutive` failures, the last at `last_failed_at`:
/// none before `delay_after` failures, then 1 s doubling per failure up to `max_delay`.
pub fn login_delay(
    consecutive: i64,
    last_failed_at: i64,
    delay_after: u32,
    max_delay: Duration,
    now: i64,
) -> Option<u64> {
    let over = consecutive - i64::from(delay_after);
    if over < 0 {
        return None;
    }
    let delay = (1u64 << over.min(32)).min(max_delay.as_secs()) as i64;
    let until = last_failed_at + delay;
    (until > now).then(|| (until - now) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_limits() {
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
        for bad in ["", "10", "10/", "0/1h", "10/0s", "ten/1h", "10/1d", "10/h"] {
            assert!(bad.parse::<RateLimit>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sign_in_delay_doubles_after_the_threshold_up_to_the_cap() {
        let cap = Duration::from_secs(300);
        assert_eq!(login_delay(4, 1000, 5, cap, 1000), None);
        assert_eq!(login_delay(5, 1000, 5, cap, 1000), Some(1));
        assert_eq!(login_delay(5, 1000, 5, cap, 1001), None, "the wait is over");
        assert_eq!(login_delay(7, 1000, 5, cap, 1000), Some(4));
        assert_eq!(login_delay(13, 1000, 5, cap, 1000), Some(256));
        assert_eq!(login_delay(14, 1000, 5, cap, 1000), Some(300));
        assert_eq!(login_delay(99, 1000, 5, cap, 1000), Some(300));
    }
}
