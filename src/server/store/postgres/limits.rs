//! `rate_limit_hits` and `used_challenges`; counted keys are locked with advisory locks.

use async_trait::async_trait;
use sqlx::PgConnection;

use crate::server::{pow_challenge::CheckedProof, store::statements::LimitStatements};

#[async_trait]
impl LimitStatements for PgConnection {
    /// A count that a concurrent insert could change is locked by its key. Keys are taken in
    /// order, so two transactions never wait for each other in a circle.
    async fn lock_keys(&mut self, keys: &[&str]) -> sqlx::Result<()> {
        let mut keys = keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            sqlx::query_scalar!(
                r#"select 1 as "locked!" from pg_advisory_xact_lock(hashtextextended($1, 0))"#,
                key
            )
            .fetch_one(&mut *self)
            .await?;
        }
        Ok(())
    }

    async fn count_hits(&mut self, bucket: &str, since: i64) -> sqlx::Result<i64> {
        sqlx::query_scalar!(
            r#"select count(*) as "hits!" from rate_limit_hits where bucket = $1 and at > $2"#,
            bucket,
            since
        )
        .fetch_one(self)
        .await
    }

    async fn hit_at(&mut self, bucket: &str, since: i64, offset: i64) -> sqlx::Result<Option<i64>> {
        sqlx::query_scalar!(
            "select at from rate_limit_hits where bucket = $1 and at > $2 order by at limit 1 offset $3",
            bucket,
            since,
            offset
        )
        .fetch_optional(self)
        .await
    }

    async fn insert_hit(&mut self, bucket: &str, now: i64) -> sqlx::Result<i64> {
        sqlx::query_scalar!(
            "insert into rate_limit_hits (bucket, at) values ($1, $2) returning hit_id",
            bucket,
            now
        )
        .fetch_one(self)
        .await
    }

    async fn redeem_challenge(&mut self, proof: &CheckedProof) -> sqlx::Result<bool> {
        let done = sqlx::query!(
            "insert into used_challenges (challenge, expires_at) values ($1, $2) on conflict do nothing",
            proof.challenge,
            proof.expires_at
        )
        .execute(self)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
