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
