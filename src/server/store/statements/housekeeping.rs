//! The sweep, and the readiness check's ping.

use async_trait::async_trait;

use crate::server::domain::{SweepPolicy, SweepReport};

#[async_trait]
pub trait HousekeepingStatements {
    /// Every table that grows with traffic loses what has outlived its use.
    async fn sweep(&mut self, policy: &SweepPolicy) -> sqlx::Result<SweepReport>;
    async fn ping(&mut self) -> sqlx::Result<()>;
}

for_both_databases! {
    impl HousekeepingStatements {
        async fn sweep(&mut self, policy: &SweepPolicy) -> sqlx::Result<SweepReport> {
            let mut deleted = 0;
            macro_rules! count_deleted {
                ($($statement:tt)*) => {
                    deleted += query!($($statement)*).execute(&mut *self).await?.rows_affected()
                };
            }
            count_deleted!(
                "delete from rate_limit_hits where at < $1",
                policy.rate_limit_hits_before
            );
            count_deleted!("delete from used_challenges where expires_at < $1", policy.now);
            count_deleted!(
                "delete from sign_in_throttle where last_failed_at < $1",
                policy.sign_in_throttle_before
            );
            count_deleted!(
                "delete from sessions where last_seen_at < $1 or signed_in_at < $2",
                policy.devices_seen_before,
                policy.devices_signed_in_before
            );
            // Their flows and queued mail go with them (on delete cascade).
            count_deleted!(
                "delete from users where verified_at is null and created_at < $1",
                policy.unverified_before
            );
            count_deleted!(
                "delete from email_codes where (finished_at is null and created_at < $1) or finished_at < $2",
                policy.unverified_before,
                policy.finished_codes_before
            );
            count_deleted!(
                "delete from email_outbox where created_at < $1",
                policy.sent_mail_before
            );
            // A used refresh token stays until it would have expired, to recognise its replay.
            count_deleted!("delete from oidc_tokens where expires_at < $1", policy.now);
            count_deleted!("delete from oidc_codes where expires_at < $1", policy.app_codes_before);
            count_deleted!(
                "delete from oidc_signing_keys where retired_at < $1",
                policy.signing_keys_retired_before
            );
            count_deleted!("delete from passkey_ceremonies where expires_at < $1", policy.now);
            // An invitation that ended (used, revoked, expired) is kept as long as a finished code.
            count_deleted!(
                "delete from invitations where expires_at < $1 or used_at < $1 or revoked_at < $1",
                policy.finished_codes_before
            );
            count_deleted!(
                "delete from refusals where window_start < $1",
                policy.refusals_before
            );
            // The security log's only deletion path: move the cutoff, then delete what lies before it.
            query!(
                "update event_retention set delete_before = $1",
                policy.events_before
            )
            .execute(&mut *self)
            .await?;
            count_deleted!("delete from security_events where at < $1", policy.events_before);
            Ok(SweepReport {
                rows_deleted: deleted,
            })
        }

        async fn ping(&mut self) -> sqlx::Result<()> {
            sqlx::query("select 1").execute(self).await?;
            Ok(())
        }
    }
}
