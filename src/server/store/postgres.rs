//! The store on PostgreSQL, for several instances on one server. Transactions run at the default
//! READ COMMITTED; an operation that decides from what it reads first locks it: the rows it will
//! change (`SELECT … FOR UPDATE`), or, for counts that a concurrent insert could change (a rate
//! limit's hits, a sign-in's attempt key), an advisory lock on the key for the transaction
//! (`pg_advisory_xact_lock`). Mail is claimed with `FOR UPDATE SKIP LOCKED` under a lease.

use async_trait::async_trait;
use sqlx::{postgres::PgPoolOptions, PgPool, Postgres, Transaction};

use super::{sql::Backend, *};

pub struct PostgresBackend {
    pool: PgPool,
}

impl PostgresBackend {
    pub async fn connect(url: &str) -> StoreResult<PostgresBackend> {
        let pool = PgPoolOptions::new().max_connections(16).connect(url).await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(PostgresBackend { pool })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

#[async_trait]
impl Backend for PostgresBackend {
    type Db = Postgres;

    fn reader(&self) -> &PgPool {
        &self.pool
    }

    fn writer(&self) -> &PgPool {
        &self.pool
    }

    /// At READ COMMITTED: each operation locks what it decides from (see the module's comment).
    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.pool.begin().await
    }
}
