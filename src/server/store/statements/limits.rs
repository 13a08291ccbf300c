//! Sliding-window limits over `rate_limit_hits`, and single-use proof-of-work challenges.

use async_trait::async_trait;

use crate::server::pow_challenge::CheckedProof;

#[async_trait]
pub trait LimitStatements {
    /// Serialises the transaction with every other one that counts any of `keys`, until it ends
    /// (nothing to do where the transaction holds the database's only write lock).
    async fn lock_keys(&mut self, keys: &[&str]) -> sqlx::Result<()>;
    async fn count_hits(&mut self, bucket: &str, since: i64) -> sqlx::Result<i64>;
    /// When the hit after the `offset` oldest ones since `since` was made.
    async fn hit_at(&mut self, bucket: &str, since: i64, offset: i64) -> sqlx::Result<Option<i64>>;
    /// The new hit's id.
    async fn insert_hit(&mut self, bucket: &str, now: i64) -> sqlx::Result<i64>;
    /// Marks the challenge used; false when it already was (the primary key decides, atomically).
    async fn redeem_challenge(&mut self, proof: &CheckedProof) -> sqlx::Result<bool>;
}

for_both_databases! {
    impl LimitStatements {
        async fn lock_keys(&mut self, keys: &[&str]) -> sqlx::Result<()> {
            on_database!(
                sqlite: {
                    let _ = keys;
                    Ok(())
                },
                // Keys are taken in order, so two transactions never wait for each other in a circle.
                postgres: {
                    let mut keys = keys.to_vec();
                    keys.sort_unstable();
                    keys.dedup();
                    for key in keys {
                        query_scalar!(
                            r#"select 1 as "locked!" from pg_advisory_xact_lock(hashtextextended($1, 0))"#,
                            key
                        )
                        .fetch_one(&mut *self)
                        .await?;
                    }
                    Ok(())
                }
            )
        }

        async fn count_hits(&mut self, bucket: &str, since: i64) -> sqlx::Result<i64> {
            query_scalar!(
                r#"select count(*) as "hits!" from rate_limit_hits where bucket = $1 and at > $2"#,
                bucket,
                since
            )
            .fetch_one(self)
            .await
        }

        async fn hit_at(&mut self, bucket: &str, since: i64, offset: i64) -> sqlx::Result<Option<i64>> {
            query_scalar!(
                "select at from rate_limit_hits where bucket = $1 and at > $2 order by at limit 1 offset $3",
                bucket,
                since,
                offset
            )
            .fetch_optional(self)
            .await
        }

        async fn insert_hit(&mut self, bucket: &str, now: i64) -> sqlx::Result<i64> {
            query_scalar!(
                "insert into rate_limit_hits (bucket, at) values ($1, $2) returning hit_id",
                bucket,
                now
            )
            .fetch_one(self)
            .await
        }

        async fn redeem_challenge(&mut self, proof: &CheckedProof) -> sqlx::Result<bool> {
            let done = query!(
                "insert into used_challenges (challenge, expires_at) values ($1, $2) on conflict do nothing",
                proof.challenge,
                proof.expires_at
            )
            .execute(self)
            .await?;
            Ok(done.rows_affected() == 1)
        }
    }
}
