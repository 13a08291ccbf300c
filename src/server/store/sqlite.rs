//! The store on SQLite: one file, WAL, `synchronous=FULL`. Every operation that reads and then
//! writes starts `BEGIN IMMEDIATE`, taking the database's single write lock up front: two requests
//! cannot both read "one attempt left" and both guess, and a deferred transaction would fail with
//! SQLITE_BUSY_SNAPSHOT when it upgraded to a write under WAL. All writes, the session records'
//! included, go through one connection, so they queue in arrival order rather than in SQLite's
//! busy handler (measured with scripts/load-test.sh: registration p99 with 100,000 past
//! registrations went from 1.1 s to 0.28 s, the same as on an empty database).

use std::{str::FromStr, time::Duration};

use async_trait::async_trait;
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    Sqlite, SqlitePool, Transaction,
};

use super::{sql::Backend, *};

pub struct SqliteBackend {
    /// Reads.
    pool: SqlitePool,
    /// Every read-then-write transaction, one at a time: SQLite allows one writer anyway, and
    /// queueing here (first come, first served) instead of in SQLite's busy handler (sleep and
    /// retry, luck decides) keeps the slowest commits close to the typical ones.
    writer: SqlitePool,
}

impl SqliteBackend {
    pub async fn connect(url: &str) -> StoreResult<SqliteBackend> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Authentication data: a commit that was acknowledged survives a power loss.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true)
            // No commit copies the log back into the database itself (see `checkpoint_in_background`).
            .pragma("wal_autocheckpoint", "0");
        if let Some(parent) = options
            .get_filename()
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent)?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        tokio::spawn(checkpoint_in_background(pool.clone()));
        Ok(SqliteBackend { pool, writer })
    }

    /// The session records write through the same single writer (their inserts, left to
    /// SQLite's busy handler beside it, waited up to 3.6 s under load).
    pub fn session_pool(&self) -> &SqlitePool {
        &self.writer
    }
}

/// Folds the write-ahead log back into the database every second, without blocking writers
/// (PASSIVE). Left to SQLite, the commit that crosses the log's size threshold does it on the
/// committing connection, and with a single writer every write queued behind that commit would
/// wait for the copy and its fsync too.
async fn checkpoint_in_background(pool: SqlitePool) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    while !pool.is_closed() {
        tick.tick().await;
        if let Err(error) = sqlx::query("pragma wal_checkpoint(passive)").execute(&pool).await {
            if !pool.is_closed() {
                tracing::warn!(%error, "checkpoint failed; retrying in a second");
            }
        }
    }
}

#[async_trait]
impl Backend for SqliteBackend {
    type Db = Sqlite;

    fn reader(&self) -> &SqlitePool {
        &self.pool
    }

    fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.writer.begin_with("BEGIN IMMEDIATE").await
    }
}

#[cfg(test)]
mod tests {
    /// Every connection, the readers' and the writer's: WAL, `synchronous=FULL` (2), a 5 s busy
    /// timeout, foreign keys enforced.
    #[tokio::test]
    async fn every_connection_runs_wal_full_sync_a_busy_timeout_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/gatehouse.db", dir.path().display());
        let backend = super::SqliteBackend::connect(&url).await.unwrap();
        for pool in [&backend.pool, &backend.writer] {
            let mut connection = pool.acquire().await.unwrap();
            let (journal_mode,): (String,) = sqlx::query_as("pragma journal_mode")
                .fetch_one(&mut *connection)
                .await
                .unwrap();
            assert_eq!(journal_mode, "wal");
            for (pragma, expected) in [("synchronous", 2), ("busy_timeout", 5000), ("foreign_keys", 1)] {
                let (value,): (i64,) = sqlx::query_as(&format!("pragma {pragma}"))
                    .fetch_one(&mut *connection)
                    .await
                    .unwrap();
                assert_eq!(value, expected, "{pragma}");
            }
        }
    }
}
