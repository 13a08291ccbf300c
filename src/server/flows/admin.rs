//! The admin console: who may open it (an admin, with two-factor on), what it shows, and what an
//! admin may do to an account. Every action needs the admin's password entered within
//! `admin_reauthentication_secs`, and is recorded in the account's security log with the admin as
//! its actor.

use crate::{
    error::AppError,
    model::{
        AccountState, AdminAction, AdminOverview, AdminUser, AdminUserDetail, AdminUserPage, SessionView,
    },
    server::{
        auth::session::SignedIn,
        client::{describe_device, Client},
        state::AppState,
        store::{AccountAction, UserQuery, UserState, UserSummary},
    },
};

use super::account::{activity_entry, confirm_password};

/// Accounts per page of the user list.
const USERS_PER_PAGE: i64 = 50;
/// Events shown on an account's page.
const EVENTS_SHOWN: i64 = 20;
const DAY_SECS: i64 = 24 * 3600;

/// The signed-in admin, or why this request may not use the console. The role was read from the
/// database with this request's sign-in (`devices::current`); two-factor is checked here.
pub async fn require_admin<'a>(
    state: &AppState,
    signed_in: Option<&'a SignedIn>,
) -> Result<&'a SignedIn, AppError> {
    let signed_in = signed_in.ok_or(AppError::NotAuthenticated)?;
    if !signed_in.admin {
        return Err(AppError::NotAdmin);
    }
    let factor = state.store.two_factor(signed_in.user_id).await?;
    if factor.is_none_or(|factor| factor.enabled_at.is_none()) {
        return Err(AppError::AdminNeedsTwoFactor);
    }
    Ok(signed_in)
}

pub async fn overview(state: &AppState) -> Result<AdminOverview, AppError> {
    let now = state.clock.now();
    let counts = state.store.admin_counts(now - now.rem_euclid(DAY_SECS)).await?;
    Ok(AdminOverview {
        accounts: counts.accounts,
        unverified: counts.unverified,
        locked: counts.locked,
        disabled: counts.disabled,
        admins: counts.admins,
        two_factor: counts.two_factor,
        codes_sent_today: counts.codes_sent,
        sign_ins_today: counts.sign_ins,
        failed_sign_ins_today: counts.failed_sign_ins,
        refusals_today: counts.refusals,
    })
}

/// One page of accounts whose username or address starts with `search`, in `filter`'s state,
/// after the username `after`.
pub async fn users(
    state: &AppState,
    search: &str,
    filter: &str,
    after: &str,
) -> Result<AdminUserPage, AppError> {
    let query = UserQuery {
        prefix: search.trim().to_lowercase(),
        state: UserState::parse(filter).unwrap_or_default(),
        after: after.to_string(),
        limit: USERS_PER_PAGE + 1,
    };
    let mut found = state.store.find_users(&query).await?;
    let more = found.len() as i64 > USERS_PER_PAGE;
    found.truncate(USERS_PER_PAGE as usize);
    let next_after = more
        .then(|| found.last().map(|user| user.username.clone()))
        .flatten();
    Ok(AdminUserPage {
        users: found.into_iter().map(admin_user).collect(),
        next_after,
    })
}

pub async fn user(state: &AppState, admin: &SignedIn, user_id: i64) -> Result<AdminUserDetail, AppError> {
    let summary = state
        .store
        .user_summary(user_id)
        .await?
        .ok_or(AppError::NoSuchAccount)?;
    let now = state.clock.now();
    let settings = &state.settings;
    let sessions = state
        .store
        .live_devices(
            user_id,
            now - settings.session_idle_secs.signed(),
            now - settings.session_lifetime_secs.signed(),
        )
        .await?
        .into_iter()
        .map(|device| SessionView {
            id: device.device_id,
            device: describe_device(&device.user_agent),
            ip: device.ip,
            signed_in_at: device.signed_in_at,
            last_seen_at: device.last_seen_at,
            current: false,
        })
        .collect();
    let events = state
        .store
        .recent_events(user_id, EVENTS_SHOWN)
        .await?
        .into_iter()
        .map(activity_entry)
        .collect();
    Ok(AdminUserDetail {
        user: admin_user(summary),
        sessions,
        events,
        own_account: user_id == admin.user_id,
        password_entered_recently: password_entered_recently(state, admin).await?,
    })
}

/// Does `action` to the account `user_id`. The admin's password is asked for again (`password`)
/// when the last one is older than `admin_reauthentication_secs`. True when something changed.
pub async fn act(
    state: &AppState,
    admin: &SignedIn,
    client: &Client,
    user_id: i64,
    action: AdminAction,
    password: &str,
) -> Result<bool, AppError> {
    if user_id == admin.user_id && !action.allowed_on_own_account() {
        return Err(AppError::NotOnOwnAccount);
    }
    if !password_entered_recently(state, admin).await? {
        if password.is_empty() {
            return Err(AppError::ReauthenticationRequired);
        }
        confirm_password(state, admin, client, password).await?;
    }
    if state.store.user_summary(user_id).await?.is_none() {
        return Err(AppError::NoSuchAccount);
    }
    let changed = state
        .store
        .act_on_account(AccountAction {
            kind: action,
            user_id,
            actor_id: Some(admin.user_id),
            client: Some(client),
            now: state.clock.now(),
        })
        .await?;
    Ok(changed)
}

async fn password_entered_recently(state: &AppState, admin: &SignedIn) -> Result<bool, AppError> {
    let device = state
        .store
        .device(&admin.handle)
        .await?
        .ok_or(AppError::NotAuthenticated)?;
    Ok(device.password_at >= state.clock.now() - state.settings.admin_reauthentication_secs.signed())
}

fn admin_user(summary: UserSummary) -> AdminUser {
    let state = if summary.disabled_at.is_some() {
        AccountState::Disabled
    } else if summary.locked_at.is_some() {
        AccountState::Locked
    } else if summary.verified_at.is_none() {
        AccountState::Unverified
    } else {
        AccountState::Active
    };
    AdminUser {
        user_id: summary.user_id,
        username: summary.username,
        email: summary.email,
        state,
        admin: summary.role == "admin",
        two_factor: summary.two_factor,
        created_at: summary.created_at,
        last_login_at: summary.last_login_at,
    }
}
