//! Looking into the test's database directly, on either backend. The SQL here is written to run on
//! both (`$1` parameters work on SQLite too).

use sqlx::{PgPool, Row, SqlitePool};

#[derive(Clone)]
pub enum TestDb {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl TestDb {
    pub async fn connect(url: &str) -> TestDb {
        if url.starts_with("postgres") {
            TestDb::Postgres(PgPool::connect(url).await.expect("connect to the test database"))
        } else {
            // Created when missing: a cluster's processes may not have made it yet.
            let options = url
                .parse::<sqlx::sqlite::SqliteConnectOptions>()
                .expect("a SQLite URL")
                .create_if_missing(true);
            TestDb::Sqlite(
                SqlitePool::connect_with(options)
                    .await
                    .expect("open the test database"),
            )
        }
    }

    pub async fn close(&self) {
        match self {
            TestDb::Sqlite(pool) => pool.close().await,
            TestDb::Postgres(pool) => pool.close().await,
        }
    }

    pub async fn execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        match self {
            TestDb::Sqlite(pool) => sqlx::query(sql)
                .execute(pool)
                .await
                .map(|done| done.rows_affected()),
            TestDb::Postgres(pool) => sqlx::query(sql)
                .execute(pool)
                .await
                .map(|done| done.rows_affected()),
        }
    }

    /// The first column of the first row, as a number (`select count(*) …`).
    pub async fn number(&self, sql: &str) -> i64 {
        match self {
            TestDb::Sqlite(pool) => sqlx::query(sql).fetch_one(pool).await.unwrap().get::<i64, _>(0),
            TestDb::Postgres(pool) => sqlx::query(sql).fetch_one(pool).await.unwrap().get::<i64, _>(0),
        }
    }

    pub async fn texts(&self, sql: &str) -> Vec<String> {
        match self {
            TestDb::Sqlite(pool) => sqlx::query(sql)
                .fetch_all(pool)
                .await
                .unwrap()
                .iter()
                .map(|row| row.get::<String, _>(0))
                .collect(),
            TestDb::Postgres(pool) => sqlx::query(sql)
                .fetch_all(pool)
                .await
                .unwrap()
                .iter()
                .map(|row| row.get::<String, _>(0))
                .collect(),
        }
    }

    pub async fn blobs(&self, sql: &str) -> Vec<Vec<u8>> {
        match self {
            TestDb::Sqlite(pool) => sqlx::query(sql)
                .fetch_all(pool)
                .await
                .unwrap()
                .iter()
                .map(|row| row.get::<Vec<u8>, _>(0))
                .collect(),
            TestDb::Postgres(pool) => sqlx::query(sql)
                .fetch_all(pool)
                .await
                .unwrap()
                .iter()
                .map(|row| row.get::<Vec<u8>, _>(0))
                .collect(),
        }
    }

    /// The database's size on disk, in bytes.
    pub async fn size(&self) -> i64 {
        match self {
            TestDb::Sqlite(pool) => {
                sqlx::query("pragma wal_checkpoint(truncate)")
                    .execute(pool)
                    .await
                    .unwrap();
                sqlx::query("select page_count * page_size from pragma_page_count(), pragma_page_size()")
                    .fetch_one(pool)
                    .await
                    .unwrap()
                    .get::<i64, _>(0)
            }
            TestDb::Postgres(pool) => sqlx::query("select pg_database_size(current_database())")
                .fetch_one(pool)
                .await
                .unwrap()
                .get::<i64, _>(0),
        }
    }
}
