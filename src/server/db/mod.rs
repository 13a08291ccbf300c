//! Database access: one module per table, each a set of verb-named queries checked at compile
//! time against `migrations/` (offline data in `.sqlx/`).

pub mod challenges;
pub mod login_failures;
pub mod outbox;
pub mod rate_limits;
pub mod security_events;
pub mod user_sessions;
pub mod users;
pub mod verifications;

use std::{str::FromStr, time::Duration};

use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    Sqlite, SqlitePool, Transaction,
};

pub async fn connect(url: &str) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // Authentication data: a commit that was acknowledged survives a power loss.
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(5))
        .foreign_keys(true);
    if let Some(parent) = options
        .get_filename()
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

/// Every read-then-write transaction starts IMMEDIATE: it takes the write lock up front, so two
/// requests cannot both read "5 attempts left" and both guess (a deferred transaction would also
/// fail with SQLITE_BUSY_SNAPSHOT when it upgrades to a write under WAL).
pub async fn begin_immediate(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Server time in unix seconds: the only clock that decides expiry.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or_default()
}
