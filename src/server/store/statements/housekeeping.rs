//! The sweep, and the readiness check's ping.

use async_trait::async_trait;

use crate::server::domain::{SweepPolicy, SweepReport};

#[async_trait]
pub trait HousekeepingStatements {
    /// Every table that grows with traffic loses what has outlived its use.
    async fn sweep(&mut self, policy: &SweepPolicy) -> sqlx::Result<SweepReport>;
    async fn ping(&mut self) -> sqlx::Result<()>;
}
