//! Sliding-window limits over `rate_limit_hits`, and single-use proof-of-work challenges.

use super::{statements::LimitStatements, LimitCheck, LimitRequest, Refusal};

/// Checks every limit of `request` and, when all have room (and the proof of work, if one is due,
/// is redeemed), counts one hit in each. All or nothing.
pub async fn take(
    conn: &mut (impl LimitStatements + Send),
    request: &LimitRequest<'_>,
) -> sqlx::Result<Result<(), Refusal>> {
    let now = request.now;
    // The first check is the client's own limit. It is locked and checked alone first, so a client
    // over it is refused without queueing on the keys other requests share (the deployment-wide
    // mail cap, which every instance takes): a flood of refused requests serialises nobody.
    if let Some(own) = request.checks.first() {
        conn.lock_keys(&[own.bucket.as_str()]).await?;
        if let Some(refusal) = refusal_if_full(conn, own, now).await? {
            return Ok(Err(refusal));
        }
    }
    let shared = request.checks.get(1..).unwrap_or_default();
    let mut keys: Vec<&str> = request.checks.iter().map(|check| check.bucket.as_str()).collect();
    keys.extend(request.proof_gate.as_ref().map(|gate| gate.bucket));
    conn.lock_keys(&keys).await?;
    for check in shared {
        if let Some(refusal) = refusal_if_full(conn, check, now).await? {
            return Ok(Err(refusal));
        }
    }
    if let Some(gate) = &request.proof_gate {
        if let Some(retry_after_secs) =
            wait_below(conn, gate.bucket, gate.window_secs, gate.after, now).await?
        {
            let redeemed = match gate.proof {
                Some(proof) => conn.redeem_challenge(proof).await?,
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
        conn.insert_hit(&check.bucket, now).await?;
    }
    Ok(Ok(()))
}

/// The refusal to answer when `check`'s bucket has no room left now.
pub async fn refusal_if_full(
    conn: &mut (impl LimitStatements + Send),
    check: &LimitCheck,
    now: i64,
) -> sqlx::Result<Option<Refusal>> {
    let wait = wait_below(
        conn,
        &check.bucket,
        check.limit.window_secs(),
        check.limit.max,
        now,
    )
    .await?;
    Ok(wait.map(|retry_after_secs| Refusal::RateLimited {
        bucket: check.bucket.clone(),
        retry_after_secs,
    }))
}

/// Seconds until `bucket` holds fewer than `threshold` hits in the window; `None` if it already does.
pub async fn wait_below(
    conn: &mut (impl LimitStatements + Send),
    bucket: &str,
    window_secs: i64,
    threshold: u32,
    now: i64,
) -> sqlx::Result<Option<u64>> {
    let since = now - window_secs;
    let hits = conn.count_hits(bucket, since).await?;
    let threshold = i64::from(threshold);
    if hits < threshold {
        return Ok(None);
    }
    // The oldest hits leave the window first; once `hits - threshold + 1` have left, one more fits.
    let leaving = conn.hit_at(bucket, since, hits - threshold).await?;
    Ok(Some(leaving.map_or(1, |at| {
        u64::try_from((at + window_secs - now).max(1)).unwrap_or(1)
    })))
}
