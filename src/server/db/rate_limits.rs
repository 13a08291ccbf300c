//! `rate_limit_hits`: one row per counted request, per bucket.

use sqlx::{SqliteConnection, SqlitePool};

pub async fn record(conn: &mut SqliteConnection, bucket: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into rate_limit_hits (bucket, at) values (?, ?)",
        bucket,
        at
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn count_since(conn: &mut SqliteConnection, bucket: &str, since: i64) -> Result<i64, sqlx::Error> {
    let row = sqlx::query!(
        "select count(*) as hits from rate_limit_hits where bucket = ? and at > ?",
        bucket,
        since
    )
    .fetch_one(conn)
    .await?;
    Ok(row.hits)
}

/// The time of the `index`-th hit (from 0, oldest first) after `since`.
pub async fn nth_since(
    conn: &mut SqliteConnection,
    bucket: &str,
    since: i64,
    index: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let row = sqlx::query!(
        "select at from rate_limit_hits where bucket = ? and at > ? order by at limit 1 offset ?",
        bucket,
        since,
        index
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|row| row.at))
}

pub async fn delete_before(pool: &SqlitePool, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("delete from rate_limit_hits where at < ?", before)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
