//! Sliding-window limits over `rate_limit_hits`, and single-use proof-of-work challenges.

use sqlx::SqliteConnection;

use crate::server::{
    pow_challenge::CheckedProof,
    store::{LimitRequest, Refusal},
};

pub(super) async fn take(
    conn: &mut SqliteConnection,
    request: &LimitRequest<'_>,
) -> Result<Result<(), Refusal>, sqlx::Error> {
    let now = request.now;
    for check in request.checks {
        if let Some(retry_after_secs) = wait_below(
            conn,
            &check.bucket,
            check.limit.window_secs(),
            check.limit.max,
            now,
        )
        .await?
        {
            return Ok(Err(Refusal::RateLimited {
                bucket: check.bucket.clone(),
                retry_after_secs,
            }));
        }
    }
    if let Some(gate) = &request.proof_gate {
        if let Some(retry_after_secs) =
            wait_below(conn, gate.bucket, gate.window_secs, gate.after, now).await?
        {
            let redeemed = match gate.proof {
                Some(proof) => redeem(conn, proof).await?,
                None => false,
            };
            if !redeemed {
                let bucket = gate.bucket.to_string();
                return Ok(Err(Refusal::ProofOfWorkRequired {
                    bucket,
                    retry_after_secs,
                }));
            }
        }
    }
    for check in request.checks {
        hit(conn, &check.bucket, now).await?;
    }
    Ok(Ok(()))
}

/// Seconds until `bucket` holds fewer than `threshold` hits in the window; `None` if it already does.
pub(super) async fn wait_below(
    conn: &mut SqliteConnection,
    bucket: &str,
    window_secs: i64,
    threshold: u32,
    now: i64,
) -> Result<Option<u64>, sqlx::Error> {
    let since = now - window_secs;
    let hits = sqlx::query_scalar!(
        "select count(*) from rate_limit_hits where bucket = ? and at > ?",
        bucket,
        since
    )
    .fetch_one(&mut *conn)
    .await?;
    let threshold = i64::from(threshold);
    if hits < threshold {
        return Ok(None);
    }
    // The oldest hits leave the window first; once `hits - threshold + 1` have left, one more fits.
    let offset = hits - threshold;
    let leaving = sqlx::query_scalar!(
        "select at from rate_limit_hits where bucket = ? and at > ? order by at limit 1 offset ?",
        bucket,
        since,
        offset
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(Some(leaving.map_or(1, |at| {
        u64::try_from((at + window_secs - now).max(1)).unwrap_or(1)
    })))
}

pub(super) async fn hit(conn: &mut SqliteConnection, bucket: &str, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"insert into rate_limit_hits (bucket, at) values (?, ?) returning hit_id as "hit_id!""#,
        bucket,
        now
    )
    .fetch_one(conn)
    .await
}

/// Marks the challenge used; false when it already was.
pub(super) async fn redeem(conn: &mut SqliteConnection, proof: &CheckedProof) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "insert into used_challenges (challenge, expires_at) values (?, ?) on conflict do nothing",
        proof.challenge,
        proof.expires_at
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
