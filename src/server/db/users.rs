use sqlx::SqliteConnection;

pub struct User {
    pub user_id: i64,
    pub username: String,
    pub email: String,
    pub password_hash: String,
    pub created_at: i64,
    pub verified_at: Option<i64>,
    pub previous_login_at: Option<i64>,
}

impl std::fmt::Debug for User {
    // Hand-written so the password hash can never end up in a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("user_id", &self.user_id)
            .field("username", &self.username)
            .field("verified", &self.verified_at.is_some())
            .finish_non_exhaustive()
    }
}

/// `identifier` is a canonical username or email address.
pub async fn find_by_login(
    conn: &mut SqliteConnection,
    identifier: &str,
) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as!(
        User,
        "select user_id as \"user_id!\", username, email, password_hash, created_at, verified_at, previous_login_at
         from users where username = ?1 or email = ?1",
        identifier
    )
    .fetch_optional(conn)
    .await
}

pub async fn find(conn: &mut SqliteConnection, user_id: i64) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as!(
        User,
        "select user_id as \"user_id!\", username, email, password_hash, created_at, verified_at, previous_login_at
         from users where user_id = ?",
        user_id
    )
    .fetch_optional(conn)
    .await
}

pub async fn insert(
    conn: &mut SqliteConnection,
    username: &str,
    email: &str,
    password_hash: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let row = sqlx::query!(
        "insert into users (username, email, password_hash, created_at) values (?, ?, ?, ?) returning user_id as \"user_id!\"",
        username,
        email,
        password_hash,
        now
    )
    .fetch_one(conn)
    .await?;
    Ok(row.user_id)
}

/// Frees a username or address held by a registration that was never verified: the same address
/// may start over at once (the owner is the one who receives the code), a username after
/// `stale_before` (so nobody can squat names with registrations they never finish).
pub async fn delete_unverified_holders(
    conn: &mut SqliteConnection,
    username: &str,
    email: &str,
    stale_before: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "delete from users where verified_at is null and (email = ? or (username = ? and created_at < ?))",
        email,
        username,
        stale_before
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn username_taken(conn: &mut SqliteConnection, username: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query!("select count(*) as taken from users where username = ?", username)
        .fetch_one(conn)
        .await?;
    Ok(row.taken > 0)
}

pub async fn email_taken(conn: &mut SqliteConnection, email: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query!("select count(*) as taken from users where email = ?", email)
        .fetch_one(conn)
        .await?;
    Ok(row.taken > 0)
}

pub async fn mark_verified(conn: &mut SqliteConnection, user_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set verified_at = ? where user_id = ? and verified_at is null",
        now,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves the last sign-in to `previous_login_at`, so the dashboard can show the one before this.
pub async fn record_login(conn: &mut SqliteConnection, user_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set previous_login_at = last_login_at, last_login_at = ? where user_id = ?",
        now,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}
