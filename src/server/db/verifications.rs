use sqlx::SqliteConnection;

#[derive(Debug)]
pub struct Verification {
    pub verification_id: i64,
    /// `None` for a decoy (the address already has an account; see the migration).
    pub user_id: Option<i64>,
    pub email: String,
    pub code_hash: Option<Vec<u8>>,
    pub expires_at: Option<i64>,
    pub failed_attempts: i64,
    pub total_failed_attempts: i64,
    pub last_requested_at: i64,
}

pub async fn insert(
    conn: &mut SqliteConnection,
    user_id: Option<i64>,
    email: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let row = sqlx::query!(
        "insert into email_verifications (user_id, email, last_requested_at, created_at)
         values (?, ?, ?, ?) returning verification_id as \"verification_id!\"",
        user_id,
        email,
        now,
        now
    )
    .fetch_one(conn)
    .await?;
    Ok(row.verification_id)
}

pub async fn find(
    conn: &mut SqliteConnection,
    verification_id: i64,
) -> Result<Option<Verification>, sqlx::Error> {
    sqlx::query_as!(
        Verification,
        "select verification_id as \"verification_id!\", user_id, email, code_hash, expires_at, failed_attempts,
                total_failed_attempts, last_requested_at
         from email_verifications where verification_id = ?",
        verification_id
    )
    .fetch_optional(conn)
    .await
}

pub async fn find_for_user(conn: &mut SqliteConnection, user_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let row = sqlx::query!(
        "select verification_id as \"verification_id!\" from email_verifications where user_id = ?",
        user_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|row| row.verification_id))
}

/// A freshly minted code replaces the previous one (which dies with it) and gets a fresh
/// allowance of attempts; the registration-wide failure count carries on.
pub async fn set_code(
    conn: &mut SqliteConnection,
    verification_id: i64,
    code_hash: &[u8],
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update email_verifications set code_hash = ?, expires_at = ?, failed_attempts = 0
         where verification_id = ?",
        code_hash,
        expires_at,
        verification_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn record_failure(conn: &mut SqliteConnection, verification_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update email_verifications
         set failed_attempts = failed_attempts + 1, total_failed_attempts = total_failed_attempts + 1
         where verification_id = ?",
        verification_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn mark_requested(
    conn: &mut SqliteConnection,
    verification_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update email_verifications set last_requested_at = ? where verification_id = ?",
        now,
        verification_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Consumes the verification. Deleting (not flagging) the row is what makes a code single-use:
/// a second submission finds nothing.
pub async fn delete(conn: &mut SqliteConnection, verification_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "delete from email_verifications where verification_id = ?",
        verification_id
    )
    .execute(conn)
    .await?;
    Ok(())
}
