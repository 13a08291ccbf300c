//! `rate_limit_hits` and `used_challenges`.

use async_trait::async_trait;
use sqlx::SqliteConnection;

use crate::server::{pow_challenge::CheckedProof, store::statements::LimitStatements};

#[async_trait]
impl LimitStatements for SqliteConnection {
    /// Every writing transaction holds the database's write lock from its start.
    async fn lock_keys(&mut self, _keys: &[&str]) -> sqlx::Result<()> {
        Ok(())
    }

    async fn count_hits(&mut self, bucket: &str, since: i64) -> sqlx::Result<i64> {
        sqlx::query_scalar!(
            "select count(*) from rate_limit_hits where bucket = ? and at > ?",
            bucket,
            since
        )
        .fetch_one(self)
        .await
    }

    async fn hit_at(&mut self, bucket: &str, since: i64, offset: i64) -> sqlx::Result<Option<i64>> {
        sqlx::query_scalar!(
            "select at from rate_limit_hits where bucket = ? and at > ? order by at limit 1 offset ?",
            bucket,
            since,
            offset
        )
        .fetch_optional(self)
        .await
    }

    async fn insert_hit(&mut self, bucket: &str, now: i64) -> sqlx::Result<i64> {
        sqlx::query_scalar!(
            r#"insert into rate_limit_hits (bucket, at) values (?, ?) returning hit_id as "hit_id!""#,
            bucket,
            now
        )
        .fetch_one(self)
        .await
    }

    async fn redeem_challenge(&mut self, proof: &CheckedProof) -> sqlx::Result<bool> {
        let done = sqlx::query!(
            "insert into used_challenges (challenge, expires_at) values (?, ?) on conflict do nothing",
            proof.challenge,
            proof.expires_at
        )
        .execute(self)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
