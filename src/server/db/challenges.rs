//! `used_challenges`: proof-of-work challenges already redeemed.

use sqlx::{SqliteConnection, SqlitePool};

/// Marks `challenge` used; false when it already was.
pub async fn redeem(
    conn: &mut SqliteConnection,
    challenge: &str,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "insert into used_challenges (challenge, expires_at) values (?, ?) on conflict do nothing",
        challenge,
        expires_at
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An expired challenge is refused on its expiry alone, so its row is no longer needed.
pub async fn delete_expired(pool: &SqlitePool, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("delete from used_challenges where expires_at < ?", now)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
