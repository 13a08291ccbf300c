//! Sign-in attempts: reserved (counted) before the password is hashed or the second factor
//! checked, settled afterwards; the account lock and its unlock link. A confirmation by a
//! signed-in user is an attempt like any other.

use sqlx::SqliteConnection;

use super::{email_codes, limits, outbox, security_log};
use crate::server::{
    client::Client,
    store::{
        decoy_slot, AuditEntry, EventKind, LockNotice, MailKind, NoticeDetails, Outcome, PasswordCheck,
        Refusal, SecondFactorProof, SignInAccount, SignInGate, SignInOutcome, SignInRequest,
        SignInReservation, SignInRow, SignInSettled, SignInSettlement, SignInStep,
    },
    throttle::{bucket, sign_in_delay},
};

pub(super) async fn reserve(
    conn: &mut SqliteConnection,
    request: &SignInRequest<'_>,
) -> Result<SignInGate, sqlx::Error> {
    let (rules, now) = (request.rules, request.now);
    let client_key = request.client.limit_key();
    let (identifier, throttle_client) = request.step.throttle_key(&client_key);
    let client_bucket = bucket::sign_in_failures(&client_key);
    let attempt_bucket = bucket::sign_in_attempts(&identifier, &throttle_client);
    let refused = |refusal| Ok(SignInGate::Refused(refusal));

    let window = rules.client_failures.window_secs();
    if let Some(retry_after_secs) =
        limits::wait_below(conn, &client_bucket, window, rules.client_failures.max, now).await?
    {
        return refused(Refusal::RateLimited {
            bucket: client_bucket,
            retry_after_secs,
        });
    }
    let attempts = sqlx::query!(
        "select consecutive, last_failed_at from sign_in_throttle where identifier = ? and client = ?",
        identifier,
        throttle_client
    )
    .fetch_optional(&mut *conn)
    .await?;
    let (consecutive, last_failed_at) = attempts.map_or((0, 0), |row| (row.consecutive, row.last_failed_at));
    if let Some(retry_after_secs) = sign_in_delay(
        consecutive,
        last_failed_at,
        rules.delay_after,
        rules.max_delay_secs,
        now,
    ) {
        return refused(Refusal::RateLimited {
            bucket: attempt_bucket,
            retry_after_secs,
        });
    }
    let identifier_wait = (consecutive >= i64::from(rules.pow_after_identifier_failures))
        .then(|| last_failed_at + rules.pow_window_secs - now)
        .filter(|wait| *wait > 0)
        .map(|wait| (u64::try_from(wait).unwrap_or(1), &attempt_bucket));
    let client_wait = limits::wait_below(
        conn,
        &client_bucket,
        rules.pow_window_secs,
        rules.pow_after_client_failures,
        now,
    )
    .await?
    .map(|wait| (wait, &client_bucket));
    if let Some((retry_after_secs, by)) = identifier_wait.max(client_wait) {
        let redeemed = match request.proof {
            Some(proof) => limits::redeem(conn, proof).await?,
            None => false,
        };
        if !redeemed {
            return refused(Refusal::ProofOfWorkRequired {
                bucket: by.clone(),
                retry_after_secs,
            });
        }
    }

    let row = match request.step {
        SignInStep::Password { identifier } => sqlx::query_as!(
            SignInRow,
            r#"select u.user_id as "user_id!", u.password_hash, u.verified_at, u.failed_sign_ins, u.locked_at, u.disabled_at,
                          t.sealed_secret as "sealed_secret?", t.last_used_step as "last_used_step?"
                   from users u left join totp_factors t on t.user_id = u.user_id and t.enabled_at is not null
                   where u.username = ?1 or u.email = ?1"#,
            identifier
        )
        .fetch_optional(&mut *conn)
        .await?,
        SignInStep::SecondFactor { user_id } => sqlx::query_as!(
            SignInRow,
            r#"select u.user_id as "user_id!", u.password_hash, u.verified_at, u.failed_sign_ins, u.locked_at, u.disabled_at,
                          t.sealed_secret as "sealed_secret?", t.last_used_step as "last_used_step?"
                   from users u left join totp_factors t on t.user_id = u.user_id and t.enabled_at is not null
                   where u.user_id = ?1"#,
            user_id
        )
        .fetch_optional(&mut *conn)
        .await?,
    };
    let account = row.map(|row| row.into_account(rules.lock_after));
    let hit_id = limits::hit(conn, &client_bucket, now).await?;
    sqlx::query!(
        "insert into sign_in_throttle (identifier, client, consecutive, last_failed_at) values (?1, ?2, 1, ?3)
         on conflict (identifier, client) do update set consecutive = consecutive + 1, last_failed_at = ?3",
        identifier,
        throttle_client,
        now
    )
    .execute(&mut *conn)
    .await?;
    let counted = account.as_ref().filter(|account| !account.locked);
    if let Some(account) = counted {
        sqlx::query!(
            "update users set failed_sign_ins = failed_sign_ins + 1 where user_id = ?",
            account.user_id
        )
        .execute(&mut *conn)
        .await?;
    }
    // No account takes the attempt: a stand-in row does, with the same statement.
    let decoy_slot = counted.is_none().then(|| decoy_slot(&identifier));
    if let Some(slot) = decoy_slot {
        sqlx::query!(
            "update sign_in_decoys set failed_sign_ins = failed_sign_ins + 1 where slot = ?",
            slot
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(SignInGate::Reserved(SignInReservation {
        hit_id,
        second_factor: matches!(request.step, SignInStep::SecondFactor { .. }),
        identifier,
        client_key: throttle_client,
        account,
        decoy_slot,
    }))
}

pub(super) async fn settle(
    conn: &mut SqliteConnection,
    settlement: &SignInSettlement<'_>,
) -> Result<SignInSettled, sqlx::Error> {
    let reservation = settlement.reservation;
    let evaluated_account = reservation.account.as_ref().filter(|account| !account.locked);
    match &settlement.outcome {
        SignInOutcome::Failed { lock } => fail(conn, settlement, lock).await,
        SignInOutcome::Succeeded { rehashed } => {
            let Some(account) = evaluated_account else {
                return Ok(SignInSettled::Failed);
            };
            let rehashed = rehashed.as_deref();
            // With two-factor on, a right password is half a sign-in: it takes back only its own
            // count, and the failures before it stay until the second step succeeds.
            let second_step_next =
                account.two_factor.is_some() && matches!(settlement.check, PasswordCheck::SignIn { .. });
            // One statement re-checks the lock and resets the count: a failure settled meanwhile
            // may have locked the account, and then this right password does not get in.
            let reset = sqlx::query!(
                "update users set failed_sign_ins = case when ? then max(failed_sign_ins - 1, 0) else 0 end,
                                  password_hash = coalesce(?, password_hash)
                 where user_id = ? and locked_at is null and disabled_at is null
                 returning user_id",
                second_step_next,
                rehashed,
                account.user_id
            )
            .fetch_optional(&mut *conn)
            .await?;
            if reset.is_none() {
                return Ok(SignInSettled::Locked);
            }
            forgive_attempt(conn, reservation).await?;
            if second_step_next {
                let entry = AuditEntry::new(
                    EventKind::PasswordAccepted,
                    Outcome::Success,
                    Some(account.user_id),
                    Some(settlement.client),
                    settlement.now,
                );
                security_log::insert(conn, &entry).await?;
                return Ok(SignInSettled::SecondFactorRequired {
                    user_id: account.user_id,
                });
            }
            succeed(conn, settlement, account, None).await
        }
        SignInOutcome::SecondFactor { proof, lock } => {
            let Some(account) = evaluated_account else {
                return Ok(SignInSettled::Failed);
            };
            let now = settlement.now;
            // The conditional updates are the replay guard: a step or a recovery code that a
            // parallel attempt used first matches no row here.
            let accepted = match proof {
                SecondFactorProof::AppCode { step } => sqlx::query!(
                    "update totp_factors set last_used_step = ?1
                     where user_id = ?2 and enabled_at is not null and (last_used_step is null or last_used_step < ?1)",
                    step,
                    account.user_id
                )
                .execute(&mut *conn)
                .await?
                .rows_affected(),
                SecondFactorProof::RecoveryCode { hash } => sqlx::query!(
                    "update recovery_codes set used_at = ?1
                     where user_id = ?2 and code_hash = ?3 and used_at is null
                       and exists (select 1 from totp_factors where user_id = ?2 and enabled_at is not null)",
                    now,
                    account.user_id,
                    hash
                )
                .execute(&mut *conn)
                .await?
                .rows_affected(),
            } == 1;
            if !accepted {
                return fail(conn, settlement, lock).await;
            }
            let reset = sqlx::query!(
                "update users set failed_sign_ins = 0 where user_id = ? and locked_at is null returning user_id",
                account.user_id
            )
            .fetch_optional(&mut *conn)
            .await?;
            if reset.is_none() {
                return Ok(SignInSettled::Locked);
            }
            forgive_attempt(conn, reservation).await?;
            let recovery_codes_left = match proof {
                SecondFactorProof::AppCode { .. } => None,
                SecondFactorProof::RecoveryCode { .. } => {
                    Some(recovery_code_used(conn, settlement, account.user_id).await?)
                }
            };
            succeed(conn, settlement, account, recovery_codes_left).await
        }
        SignInOutcome::NotEvaluated => {
            sqlx::query!("delete from rate_limit_hits where hit_id = ?", reservation.hit_id)
                .execute(&mut *conn)
                .await?;
            sqlx::query!(
                "update sign_in_throttle set consecutive = max(consecutive - 1, 0) where identifier = ? and client = ?",
                reservation.identifier,
                reservation.client_key
            )
            .execute(&mut *conn)
            .await?;
            if let Some(account) = evaluated_account {
                sqlx::query!(
                    "update users set failed_sign_ins = max(failed_sign_ins - 1, 0) where user_id = ?",
                    account.user_id
                )
                .execute(&mut *conn)
                .await?;
            }
            Ok(SignInSettled::NotEvaluated)
        }
    }
}

/// A wrong password or second factor: logged, and it may lock the account (mailing its owner).
async fn fail(
    conn: &mut SqliteConnection,
    settlement: &SignInSettlement<'_>,
    lock: &LockNotice,
) -> Result<SignInSettled, sqlx::Error> {
    let reservation = settlement.reservation;
    let now = settlement.now;
    let user_id = reservation.account.as_ref().map(|account| account.user_id);
    let kind = match reservation.second_factor {
        true => EventKind::SecondFactorFailed,
        false => EventKind::SignInFailed,
    };
    let entry = AuditEntry::new(kind, Outcome::Failure, user_id, Some(settlement.client), now);
    security_log::insert(conn, &entry).await?;
    let lock_after = i64::from(settlement.lock_after);
    let Some(account) = reservation.account.as_ref().filter(|account| !account.locked) else {
        // The stand-in row gets the lock check a real account's row gets; born locked, it never
        // matches.
        if let Some(slot) = reservation.decoy_slot {
            sqlx::query_scalar!(
                "update sign_in_decoys set locked_at = ?, unlock_token_hash = ?, unlock_expires_at = ?
                 where slot = ? and locked_at is null and failed_sign_ins >= ?
                 returning slot",
                now,
                lock.token_hash,
                lock.expires_at,
                slot,
                lock_after
            )
            .fetch_optional(&mut *conn)
            .await?;
        }
        return Ok(SignInSettled::Failed);
    };
    let locked = sqlx::query_scalar!(
        "update users set locked_at = ?, unlock_token_hash = ?, unlock_expires_at = ?
         where user_id = ? and locked_at is null and failed_sign_ins >= ?
         returning email",
        now,
        lock.token_hash,
        lock.expires_at,
        account.user_id,
        lock_after
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(email) = locked else {
        return Ok(SignInSettled::Failed);
    };
    let mail = outbox::NewMail {
        kind: MailKind::AccountLocked,
        user_id: Some(account.user_id),
        secret_nonce: Some(&lock.nonce),
        ..outbox::NewMail::to(&email, now)
    };
    outbox::queue(conn, &mail).await?;
    let entry = AuditEntry::new(
        EventKind::Lockout,
        Outcome::Success,
        user_id,
        Some(settlement.client),
        now,
    );
    security_log::insert(conn, &entry).await?;
    Ok(SignInSettled::FailedAndLocked)
}

/// A successful step takes back its failure count: the client's hit and the delay row.
async fn forgive_attempt(
    conn: &mut SqliteConnection,
    reservation: &SignInReservation,
) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from rate_limit_hits where hit_id = ?", reservation.hit_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "delete from sign_in_throttle where identifier = ? and client = ?",
        reservation.identifier,
        reservation.client_key
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A recovery code got someone in: logged, the owner is told (with how many are left).
async fn recovery_code_used(
    conn: &mut SqliteConnection,
    settlement: &SignInSettlement<'_>,
    user_id: i64,
) -> Result<i64, sqlx::Error> {
    let left = sqlx::query_scalar!(
        "select count(*) from recovery_codes where user_id = ? and used_at is null",
        user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let entry = AuditEntry::new(
        EventKind::RecoveryCodeUsed,
        Outcome::Success,
        Some(user_id),
        Some(settlement.client),
        settlement.now,
    );
    security_log::insert(conn, &entry).await?;
    if let PasswordCheck::SignIn { details, .. } = settlement.check {
        let details = NoticeDetails {
            recovery_codes_left: Some(left),
            ..details.clone()
        };
        outbox::queue_notice(
            conn,
            MailKind::RecoveryCodeUsed,
            user_id,
            &details,
            settlement.now,
        )
        .await?;
    }
    Ok(left)
}

/// Both steps passed (or the one there was): a confirmation is noted on the device; a sign-in is
/// recorded, and a device not seen before on the account mails its owner.
async fn succeed(
    conn: &mut SqliteConnection,
    settlement: &SignInSettlement<'_>,
    account: &SignInAccount,
    recovery_codes_left: Option<i64>,
) -> Result<SignInSettled, sqlx::Error> {
    let now = settlement.now;
    match settlement.check {
        PasswordCheck::Confirmation { handle } => {
            sqlx::query!("update devices set password_at = ? where handle = ?", now, handle)
                .execute(&mut *conn)
                .await?;
            Ok(SignInSettled::Confirmed)
        }
        PasswordCheck::SignIn { .. } if !account.verified => Ok(
            match email_codes::registration_flow_of(conn, account.user_id).await? {
                Some(flow_token) => SignInSettled::NeedsVerification { flow_token },
                None => SignInSettled::Failed,
            },
        ),
        PasswordCheck::SignIn {
            fingerprint,
            notify_new_device,
            details,
        } => {
            sqlx::query!(
                "update users set previous_login_at = last_login_at, last_login_at = ? where user_id = ?",
                now,
                account.user_id
            )
            .execute(&mut *conn)
            .await?;
            let first_seen = sqlx::query!(
                "insert into known_devices (user_id, fingerprint, first_seen_at) values (?, ?, ?)
                 on conflict do nothing",
                account.user_id,
                fingerprint,
                now
            )
            .execute(&mut *conn)
            .await?
            .rows_affected()
                == 1;
            let known = sqlx::query_scalar!(
                "select count(*) from known_devices where user_id = ?",
                account.user_id
            )
            .fetch_one(&mut *conn)
            .await?;
            // The first device of an account is where it was made, not news.
            if first_seen && notify_new_device && known > 1 {
                outbox::queue_notice(conn, MailKind::NewDevice, account.user_id, details, now).await?;
            }
            let entry = AuditEntry::new(
                EventKind::SignIn,
                Outcome::Success,
                Some(account.user_id),
                Some(settlement.client),
                now,
            );
            security_log::insert(conn, &entry).await?;
            Ok(SignInSettled::SignedIn {
                user_id: account.user_id,
                recovery_codes_left,
            })
        }
    }
}

pub(super) async fn unlock_with_link(
    conn: &mut SqliteConnection,
    token_hash: &[u8],
    now: i64,
    client: &Client,
) -> Result<bool, sqlx::Error> {
    let user_id = sqlx::query_scalar!(
        r#"update users set locked_at = null, failed_sign_ins = 0, unlock_token_hash = null, unlock_expires_at = null
           where unlock_token_hash = ? and unlock_expires_at > ?
           returning user_id as "user_id!""#,
        token_hash,
        now
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(user_id) = user_id {
        let entry = AuditEntry::new(
            EventKind::Unlock,
            Outcome::Success,
            Some(user_id),
            Some(client),
            now,
        );
        security_log::insert(conn, &entry).await?;
    }
    Ok(user_id.is_some())
}
