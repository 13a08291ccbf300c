//! Sign in (with throttling, lockout and proof of work), the signed-in user's account and their
//! recent security activity.

use tower_sessions::Session;

use crate::{
    error::AppError,
    model::{AccountView, ActivityEntry},
    server::{
        audit::{self, Event, Outcome},
        auth::session::{self, SignedIn},
        challenge,
        client::{describe_device, Client},
        db::{self, login_failures, security_events, users, verifications},
        flows::sessions,
        state::AppState,
        throttle,
    },
    validate::{self, Field, FieldError, PASSWORD_MAX_BYTES},
};

const RECENT_ACTIVITY_ENTRIES: i64 = 20;

pub struct SignInForm<'a> {
    pub identifier: &'a str,
    pub password: &'a str,
    /// A solved proof-of-work challenge, when the form was asked for one.
    pub proof: Option<&'a str>,
}

pub enum SignIn {
    Complete,
    /// Right password, but the address is not verified yet: the browser is sent to verify it.
    NeedsVerification,
}

/// Every failure (unknown account, wrong password, locked account) is the same
/// `InvalidCredentials`, after the same argon2 work. Unknown names are throttled like accounts,
/// so throttling does not reveal which accounts exist either.
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    client: &Client,
    form: SignInForm<'_>,
) -> Result<SignIn, AppError> {
    let identifier = validate::identifier(form.identifier).map_err(|message| {
        AppError::Validation(vec![FieldError {
            field: Field::Identifier,
            message,
        }])
    })?;
    if form.password.is_empty() {
        return Err(AppError::Validation(vec![FieldError {
            field: Field::Password,
            message: "Enter your password.".into(),
        }]));
    }
    let limits = &state.settings.limits;
    let now = db::now();
    let client_bucket = throttle::bucket("login-failures", &client.limit_key());
    let mut conn = state.db.acquire().await?;
    if let Err(throttled) =
        throttle::check(&mut conn, &client_bucket, limits.login_failures_per_ip, now).await
    {
        audit::record(&mut conn, Event::Throttled, Outcome::Refused, None, Some(client)).await?;
        return Err(throttled);
    }
    let user = users::find_by_login(&mut conn, &identifier).await?;
    let user_id = user.as_ref().map(|user| user.user_id);
    // Every spelling of an account (username in any case, email) counts against one target.
    let target = match user_id {
        Some(user_id) => format!("user:{user_id}"),
        None => format!("name:{identifier}"),
    };
    let failures = login_failures::find(&mut conn, &target).await?;
    if let Some(failures) = &failures {
        if failures.locked_at.is_some() {
            audit::record(
                &mut conn,
                Event::SignInFailed,
                Outcome::Refused,
                user_id,
                Some(client),
            )
            .await?;
            return Err(AppError::InvalidCredentials);
        }
        let delay = throttle::login_delay(
            failures.consecutive,
            failures.last_failed_at,
            limits.login_delay_after,
            limits.login_max_delay,
            now,
        );
        if let Some(retry_after_secs) = delay {
            audit::record(
                &mut conn,
                Event::Throttled,
                Outcome::Refused,
                user_id,
                Some(client),
            )
            .await?;
            return Err(AppError::RateLimited { retry_after_secs });
        }
    }
    let window = limits.pow_window.as_secs() as i64;
    let target_wait = failures
        .as_ref()
        .filter(|failures| failures.consecutive >= i64::from(limits.pow_after_login_failures))
        .map(|failures| failures.last_failed_at + window - now)
        .filter(|wait| *wait > 0)
        .map(|wait| wait as u64);
    let client_wait = throttle::wait_below(
        &mut conn,
        &client_bucket,
        limits.pow_window,
        limits.pow_after_client_login_failures,
        now,
    )
    .await?;
    if let Some(retry_after_secs) = target_wait.max(client_wait) {
        if !challenge::redeem(
            &mut conn,
            &state.server_key,
            form.proof,
            limits.pow_difficulty,
            now,
        )
        .await?
        {
            audit::record(
                &mut conn,
                Event::Throttled,
                Outcome::Refused,
                user_id,
                Some(client),
            )
            .await?;
            let challenge = challenge::issue(&state.server_key, limits.pow_difficulty, now);
            return Err(AppError::ProofOfWorkRequired {
                challenge,
                retry_after_secs,
            });
        }
    }
    drop(conn); // not held across the (queued, ~50 ms) password check

    // Over-long passwords still cost a hash, so their answer takes the usual time.
    let password = if form.password.len() > PASSWORD_MAX_BYTES {
        ""
    } else {
        form.password
    };
    let password_ok = state
        .hasher
        .verify(
            validate::normalize_password(password),
            user.as_ref().map(|user| user.password_hash.clone()),
        )
        .await?
        && !password.is_empty();

    let mut tx = db::begin_immediate(&state.db).await?;
    let Some(user) = user.filter(|_| password_ok) else {
        let now = db::now();
        let consecutive =
            login_failures::record(&mut tx, &target, now, i64::from(limits.login_lock_after)).await?;
        throttle::hit(&mut tx, &client_bucket, now).await?;
        audit::record(
            &mut tx,
            Event::SignInFailed,
            Outcome::Failure,
            user_id,
            Some(client),
        )
        .await?;
        if consecutive == i64::from(limits.login_lock_after) {
            audit::record(&mut tx, Event::Lockout, Outcome::Success, user_id, Some(client)).await?;
            tracing::warn!(
                ?user_id,
                "sign-in locked after {consecutive} consecutive failures"
            );
        }
        tx.commit().await?;
        return Err(AppError::InvalidCredentials);
    };
    login_failures::clear(&mut tx, &target).await?;
    if user.verified_at.is_none() {
        let verification_id = verifications::find_for_user(&mut tx, user.user_id)
            .await?
            .ok_or(AppError::InvalidCredentials)?;
        tx.commit().await?;
        session::await_verification(session, verification_id).await?;
        return Ok(SignIn::NeedsVerification);
    }
    users::record_login(&mut tx, user.user_id, db::now()).await?;
    audit::record(
        &mut tx,
        Event::SignIn,
        Outcome::Success,
        Some(user.user_id),
        Some(client),
    )
    .await?;
    tx.commit().await?;
    sessions::start(state, session, client, user.user_id).await?;
    Ok(SignIn::Complete)
}

pub async fn account(
    state: &AppState,
    signed_in: &SignedIn,
    session: &Session,
) -> Result<AccountView, AppError> {
    let mut conn = state.db.acquire().await?;
    let Some(user) = users::find(&mut conn, signed_in.user_id).await? else {
        session::log_out(session).await?;
        return Err(AppError::NotAuthenticated);
    };
    Ok(AccountView {
        username: user.username,
        email: user.email,
        created_at: user.created_at,
        previous_login_at: user.previous_login_at,
    })
}

pub async fn recent_activity(state: &AppState, signed_in: &SignedIn) -> Result<Vec<ActivityEntry>, AppError> {
    let mut conn = state.db.acquire().await?;
    let events =
        security_events::recent_for_user(&mut conn, signed_in.user_id, RECENT_ACTIVITY_ENTRIES).await?;
    Ok(events
        .into_iter()
        .map(|event| ActivityEntry {
            at: event.at,
            description: Event::describe(&event.kind).to_string(),
            ip: event.ip.unwrap_or_default(),
            device: event
                .user_agent
                .as_deref()
                .map(describe_device)
                .unwrap_or_default(),
            outcome: event.outcome,
        })
        .collect())
}

/// For the operator (`gatehouse unlock <username or email>`): lifts a lockout and clears the
/// failure count. Returns false when there is no such account.
pub async fn unlock(db: &sqlx::SqlitePool, identifier: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db::begin_immediate(db).await?;
    let Some(user) = users::find_by_login(&mut tx, &identifier.trim().to_lowercase()).await? else {
        return Ok(false);
    };
    login_failures::clear(&mut tx, &format!("user:{}", user.user_id)).await?;
    audit::record(&mut tx, Event::Unlock, Outcome::Success, Some(user.user_id), None).await?;
    tx.commit().await?;
    Ok(true)
}
