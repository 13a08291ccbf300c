//! The session records behind the cookie (tower-sessions' own stores), in the same database as
//! everything else, so every instance sees every session and a restart signs nobody out.

use async_trait::async_trait;
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, ExpiredDeletion},
    SessionStore,
};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

#[derive(Debug, Clone)]
pub enum SessionRecords {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl SessionRecords {
    pub async fn sqlite(pool: sqlx::SqlitePool) -> Result<SessionRecords, sqlx::Error> {
        let store = SqliteStore::new(pool);
        store.migrate().await?;
        Ok(SessionRecords::Sqlite(store))
    }

    pub async fn postgres(pool: sqlx::PgPool) -> Result<SessionRecords, sqlx::Error> {
        let store = PostgresStore::new(pool);
        store.migrate().await?;
        Ok(SessionRecords::Postgres(store))
    }
}

/// The same call on whichever database's store this is.
macro_rules! on_either {
    ($records:expr, $store:ident => $call:expr) => {
        match $records {
            SessionRecords::Sqlite($store) => $call,
            SessionRecords::Postgres($store) => $call,
        }
    };
}

#[async_trait]
impl SessionStore for SessionRecords {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        on_either!(self, store => store.create(record).await)
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        on_either!(self, store => store.save(record).await)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        on_either!(self, store => store.load(id).await)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        on_either!(self, store => store.delete(id).await)
    }
}

#[async_trait]
impl ExpiredDeletion for SessionRecords {
    async fn delete_expired(&self) -> session_store::Result<()> {
        on_either!(self, store => store.delete_expired().await)
    }
}
