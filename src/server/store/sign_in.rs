//! Sign-in attempts: reserved (counted) before the password is hashed or the second factor
//! checked, settled afterwards; the account lock and its unlock link. A confirmation by a
//! signed-in user is an attempt like any other.

use super::{
    decoy_slot, limits,
    mail::queue_notice,
    security_log,
    statements::{NewMail, Statements},
    AuditEntry, Client, EventKind, LockNotice, MailKind, NewSession, NoticeDetails, Outcome, PasswordCheck,
    Refusal, SecondFactorProof, SignInAccount, SignInGate, SignInOutcome, SignInRequest, SignInReservation,
    SignInSettled, SignInSettlement, SignInStep,
};
use crate::server::throttle::{bucket, sign_in_delay};

pub(super) async fn reserve(
    conn: &mut impl Statements,
    request: &SignInRequest<'_>,
) -> sqlx::Result<SignInGate> {
    let (rules, now) = (request.rules, request.now);
    let client_key = request.client.limit_key();
    let (identifier, throttle_client) = request.step.throttle_key(&client_key);
    let client_bucket = bucket::sign_in_failures(&client_key);
    let attempt_bucket = bucket::sign_in_attempts(&identifier, &throttle_client);
    let checks_bucket = bucket::password_checks(&client_key);
    let refused = |refusal| Ok(SignInGate::Refused(refusal));
    let hashes_password = matches!(request.step, SignInStep::Password { .. });

    conn.lock_keys(&[&client_bucket, &attempt_bucket, &checks_bucket])
        .await?;
    let window = rules.client_failures.window_secs();
    if let Some(retry_after_secs) =
        limits::wait_below(conn, &client_bucket, window, rules.client_failures.max, now).await?
    {
        return refused(Refusal::RateLimited {
            bucket: client_bucket,
            retry_after_secs,
        });
    }
    // Failures alone are not enough: a right password is forgiven above, yet costs one argon2 run.
    if hashes_password {
        let limit = rules.client_password_checks;
        if let Some(retry_after_secs) =
            limits::wait_below(conn, &checks_bucket, limit.window_secs(), limit.max, now).await?
        {
            return refused(Refusal::RateLimited {
                bucket: checks_bucket,
                retry_after_secs,
            });
        }
    }
    let (consecutive, last_failed_at) = conn
        .sign_in_failures(&identifier, &throttle_client)
        .await?
        .unwrap_or((0, 0));
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
            Some(proof) => conn.redeem_challenge(proof).await?,
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
        SignInStep::Password { identifier } => conn.sign_in_row_named(identifier).await?,
        SignInStep::SecondFactor { user_id }
        | SignInStep::Passkey {
            user_id: Some(user_id),
        } => conn.sign_in_row(user_id).await?,
        SignInStep::Passkey { user_id: None } => None,
    };
    let account = row.map(|row| row.into_account(rules.lock_after));
    // Only right passwords fill an account's budget (settled below), so only someone who knows
    // the password can see this refusal. Not locked: the client's own budget bounds a burst.
    if let Some(account) = account.as_ref().filter(|_| hashes_password) {
        let account_bucket = bucket::account_password_checks(account.user_id);
        let limit = rules.account_password_checks;
        if let Some(retry_after_secs) =
            limits::wait_below(conn, &account_bucket, limit.window_secs(), limit.max, now).await?
        {
            return refused(Refusal::RateLimited {
                bucket: account_bucket,
                retry_after_secs,
            });
        }
    }
    if hashes_password {
        conn.insert_hit(&checks_bucket, now).await?;
    }
    let hit_id = conn.insert_hit(&client_bucket, now).await?;
    conn.count_sign_in_failure(&identifier, &throttle_client, now)
        .await?;
    let counted = account.as_ref().filter(|account| !account.locked);
    if let Some(account) = counted {
        conn.count_account_failure(account.user_id).await?;
    }
    // No account takes the attempt: a stand-in row does, with the same statements.
    let decoy_slot = counted.is_none().then(|| decoy_slot(&identifier));
    if let Some(slot) = decoy_slot {
        conn.count_decoy_failure(slot).await?;
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
    conn: &mut impl Statements,
    settlement: &SignInSettlement<'_>,
) -> sqlx::Result<SignInSettled> {
    let reservation = settlement.reservation;
    let evaluated_account = reservation.account.as_ref().filter(|account| !account.locked);
    match &settlement.outcome {
        SignInOutcome::Failed { lock } => fail(conn, settlement, lock).await,
        SignInOutcome::Succeeded { rehashed } => {
            let Some(account) = evaluated_account else {
                return Ok(SignInSettled::Failed);
            };
            // With two-factor on, a right password is half a sign-in: it takes back only its own
            // count, and the failures before it stay until the second step succeeds.
            let second_step_next =
                account.second_factor && matches!(settlement.check, PasswordCheck::SignIn { .. });
            // One statement re-checks the account and resets the count: a failure settled meanwhile
            // may have locked it, an admin disabled it, or its owner changed the password since
            // this one was checked, and then this password does not get in.
            if !conn
                .reset_failures(
                    account.user_id,
                    &account.password_hash,
                    second_step_next,
                    rehashed.as_deref(),
                )
                .await?
            {
                return Ok(SignInSettled::Locked);
            }
            forgive_attempt(conn, reservation).await?;
            conn.insert_hit(&bucket::account_password_checks(account.user_id), settlement.now)
                .await?;
            if second_step_next {
                security_log::record_success(
                    conn,
                    EventKind::PasswordAccepted,
                    Some(account.user_id),
                    Some(settlement.client),
                    settlement.now,
                )
                .await?;
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
            // The conditional updates are the replay guard: a step or a recovery code that a
            // parallel attempt used first matches no row here.
            let accepted = match proof {
                SecondFactorProof::AppCode { step } => conn.use_app_code_step(account.user_id, *step).await?,
                SecondFactorProof::RecoveryCode { hash } => {
                    conn.use_recovery_code(account.user_id, hash, settlement.now)
                        .await?
                }
                SecondFactorProof::Passkey(passkey) => {
                    conn.note_passkey_used(
                        account.user_id,
                        passkey.passkey_id,
                        &passkey.credential,
                        settlement.now,
                    )
                    .await?
                }
            };
            if !accepted {
                return fail(conn, settlement, lock).await;
            }
            if !conn.reset_failures_after_second_factor(account.user_id).await? {
                return Ok(SignInSettled::Locked);
            }
            forgive_attempt(conn, reservation).await?;
            let recovery_codes_left = match proof {
                SecondFactorProof::AppCode { .. } | SecondFactorProof::Passkey(_) => None,
                SecondFactorProof::RecoveryCode { .. } => {
                    Some(recovery_code_used(conn, settlement, account.user_id).await?)
                }
            };
            succeed(conn, settlement, account, recovery_codes_left).await
        }
        SignInOutcome::NotEvaluated => {
            conn.delete_hit(reservation.hit_id).await?;
            conn.take_back_sign_in_failure(&reservation.identifier, &reservation.client_key)
                .await?;
            if let Some(account) = evaluated_account {
                conn.take_back_account_failure(account.user_id).await?;
            }
            Ok(SignInSettled::NotEvaluated)
        }
    }
}

/// A wrong password or second factor: logged, and it may lock the account (mailing its owner).
async fn fail(
    conn: &mut impl Statements,
    settlement: &SignInSettlement<'_>,
    lock: &LockNotice,
) -> sqlx::Result<SignInSettled> {
    let reservation = settlement.reservation;
    let now = settlement.now;
    let user_id = reservation.account.as_ref().map(|account| account.user_id);
    let kind = match reservation.second_factor {
        true => EventKind::SecondFactorFailed,
        false => EventKind::SignInFailed,
    };
    let entry = AuditEntry::new(kind, Outcome::Failure, user_id, Some(settlement.client), now);
    conn.insert_event(&entry).await?;
    let lock_after = i64::from(settlement.lock_after);
    let Some(account) = reservation.account.as_ref().filter(|account| !account.locked) else {
        // The stand-in row gets the lock check a real account's row gets; born locked, it never
        // matches.
        if let Some(slot) = reservation.decoy_slot {
            conn.lock_decoy(slot, lock, lock_after, now).await?;
        }
        return Ok(SignInSettled::Failed);
    };
    let Some(email) = conn.lock_account(account.user_id, lock, lock_after, now).await? else {
        return Ok(SignInSettled::Failed);
    };
    // An unverified registration has no proven address to mail (a stand-in's is no address).
    if !account.verified {
        return Ok(SignInSettled::Failed);
    }
    let mail = NewMail {
        kind: MailKind::AccountLocked,
        user_id: Some(account.user_id),
        secret_nonce: Some(&lock.nonce),
        ..NewMail::to(&email, now)
    };
    conn.queue_mail(&mail).await?;
    security_log::record_success(conn, EventKind::Lockout, user_id, Some(settlement.client), now).await?;
    Ok(SignInSettled::FailedAndLocked)
}

/// A successful step takes back its failure count: the client's hit and the delay row.
async fn forgive_attempt(conn: &mut impl Statements, reservation: &SignInReservation) -> sqlx::Result<()> {
    conn.delete_hit(reservation.hit_id).await?;
    conn.forget_sign_in_failure(&reservation.identifier, &reservation.client_key)
        .await
}

/// A recovery code got someone in: logged, the owner is told (with how many are left).
async fn recovery_code_used(
    conn: &mut impl Statements,
    settlement: &SignInSettlement<'_>,
    user_id: i64,
) -> sqlx::Result<i64> {
    let left = conn.recovery_codes_left(user_id).await?;
    security_log::record_success(
        conn,
        EventKind::RecoveryCodeUsed,
        Some(user_id),
        Some(settlement.client),
        settlement.now,
    )
    .await?;
    if let PasswordCheck::SignIn { details, .. } = settlement.check {
        let details = NoticeDetails {
            recovery_codes_left: Some(left),
            ..details.clone()
        };
        queue_notice(
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
    conn: &mut impl Statements,
    settlement: &SignInSettlement<'_>,
    account: &SignInAccount,
    recovery_codes_left: Option<i64>,
) -> sqlx::Result<SignInSettled> {
    let now = settlement.now;
    match settlement.check {
        PasswordCheck::Confirmation { handle } => {
            conn.note_password_confirmed(handle, now).await?;
            Ok(SignInSettled::Confirmed)
        }
        PasswordCheck::SignIn { .. } if !account.verified => {
            Ok(match conn.registration_flow_of(account.user_id).await? {
                Some(flow_token) => SignInSettled::NeedsVerification { flow_token },
                None => SignInSettled::Failed,
            })
        }
        PasswordCheck::SignIn {
            fingerprint,
            notify_new_device,
            details,
            session_handle,
            forward_token_hash,
        } => {
            let amr = methods_used(settlement);
            let session = NewSession {
                handle: session_handle,
                user_id: account.user_id,
                client: settlement.client,
                now,
                amr: &amr,
                forward_token_hash,
            };
            conn.insert_session(&session).await?;
            conn.note_sign_in(account.user_id, now).await?;
            let first_seen = conn.remember_device(account.user_id, fingerprint, now).await?;
            let known = conn.known_devices(account.user_id).await?;
            // The first device of an account is where it was made, not news.
            if first_seen && notify_new_device && known > 1 {
                queue_notice(conn, MailKind::NewDevice, account.user_id, details, now).await?;
            }
            security_log::record_success(
                conn,
                EventKind::SignIn,
                Some(account.user_id),
                Some(settlement.client),
                now,
            )
            .await?;
            Ok(SignInSettled::SignedIn {
                user_id: account.user_id,
                recovery_codes_left,
            })
        }
    }
}

/// How the sign-in was made, as RFC 8176 names its methods: the password (`pwd`), then an
/// authenticator-app or recovery code (`otp`) or a passkey (its key method and `user`, for the
/// verification it required); a passkey alone is two factors by itself.
fn methods_used(settlement: &SignInSettlement<'_>) -> String {
    let password_first = settlement.reservation.second_factor;
    match &settlement.outcome {
        SignInOutcome::SecondFactor {
            proof: SecondFactorProof::Passkey(passkey),
            ..
        } => match password_first {
            true => format!("pwd {} user", passkey.key_method),
            false => format!("{} user", passkey.key_method),
        },
        SignInOutcome::SecondFactor { .. } => "pwd otp".to_string(),
        _ => "pwd".to_string(),
    }
}

pub(super) async fn unlock_with_link(
    conn: &mut impl Statements,
    token_hash: &[u8],
    now: i64,
    client: &Client,
) -> sqlx::Result<bool> {
    let Some(user_id) = conn.unlock_by_token(token_hash, now).await? else {
        return Ok(false);
    };
    security_log::record_success(conn, EventKind::Unlock, Some(user_id), Some(client), now).await?;
    Ok(true)
}
