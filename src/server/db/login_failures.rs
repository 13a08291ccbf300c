//! `login_failures`: consecutive failed sign-ins per target (`user:<id>` or `name:<identifier>`).

use sqlx::SqliteConnection;

#[derive(Debug, Clone)]
pub struct LoginFailures {
    pub consecutive: i64,
    pub last_failed_at: i64,
    pub locked_at: Option<i64>,
}

pub async fn find(conn: &mut SqliteConnection, target: &str) -> Result<Option<LoginFailures>, sqlx::Error> {
    sqlx::query_as!(
        LoginFailures,
        "select consecutive, last_failed_at, locked_at from login_failures where target = ?",
        target
    )
    .fetch_optional(conn)
    .await
}

/// Counts one more failure and returns the new consecutive count; reaching `lock_after` locks.
pub async fn record(
    conn: &mut SqliteConnection,
    target: &str,
    now: i64,
    lock_after: i64,
) -> Result<i64, sqlx::Error> {
    let row = sqlx::query!(
        "insert into login_failures (target, consecutive, last_failed_at, locked_at)
         values (?1, 1, ?2, case when ?3 <= 1 then ?2 end)
         on conflict (target) do update set
             consecutive = consecutive + 1,
             last_failed_at = ?2,
             locked_at = coalesce(locked_at, case when consecutive + 1 >= ?3 then ?2 end)
         returning consecutive",
        target,
        now,
        lock_after
    )
    .fetch_one(conn)
    .await?;
    Ok(row.consecutive)
}

/// A successful sign-in (or an unlock) starts the count again.
pub async fn clear(conn: &mut SqliteConnection, target: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!("delete from login_failures where target = ?", target)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
