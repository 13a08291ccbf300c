//! The admin console: who may open it (an admin, with two-factor on), what it shows, and what an
//! admin may do to an account. Every action needs the admin's password entered within
//! `admin_reauthentication_secs`, and is recorded in the account's security log with the admin as
//! its actor.

mod clients;
mod csv_file;
mod groups;
pub mod invitations;
mod logs;
mod users;

use tower_sessions::Session;

use crate::{
    error::AppError,
    model::{AccountState, AdminAction, AdminOverview, AdminUser, AdminUserDetail, CodePurpose, DayActivity},
    server::{
        auth::session::SignedIn,
        client::Client,
        domain::{AccountAction, CodeQuery, PasswordCheck, SignInSettled, UserSummary},
        state::AppState,
    },
    validate::Field,
};

use super::{
    account::{self, activity_entry, confirm_password},
    email_code, notice_details, recovery,
    sessions::session_view,
    sign_in,
};

use crate::i18n::t;
pub use clients::{change_client, clients, ClientForm};
pub use groups::{change_group, group, groups, GroupForm};
use logs::admin_code;
pub use logs::{codes, codes_csv, events, events_csv};
pub use users::{users, users_csv};

/// Accounts per page of the user list, events per page of the log.
const USERS_PER_PAGE: i64 = 50;
const EVENTS_PER_PAGE: i64 = 50;
/// Rows read per query while a CSV export is written, and the most one export holds.
const EXPORT_BATCH: i64 = 1_000;
const EXPORT_MAX_ROWS: usize = 100_000;
/// Events and emailed codes shown on an account's page.
const EVENTS_SHOWN: i64 = 20;
const CODES_SHOWN: i64 = 10;
const DAY_SECS: i64 = 24 * 3600;
/// Days the overview's chart covers, today included.
const CHART_DAYS: i64 = 30;

/// The signed-in admin, or why this request may not use the console. The role was read from the
/// database with this request's sign-in (`sessions::current`); two-factor is checked here.
pub async fn require_admin<'a>(
    state: &AppState,
    signed_in: Option<&'a SignedIn>,
) -> Result<&'a SignedIn, AppError> {
    let signed_in = signed_in.ok_or(AppError::NotAuthenticated)?;
    if !signed_in.admin {
        return Err(AppError::NotAdmin);
    }
    if !super::two_factor::is_on(state, signed_in.user_id).await? {
        return Err(AppError::AdminNeedsTwoFactor);
    }
    Ok(signed_in)
}

pub async fn overview(state: &AppState) -> Result<AdminOverview, AppError> {
    let now = state.clock.now();
    let today = now.div_euclid(DAY_SECS);
    let counts = state.store.admin_counts(today * DAY_SECS).await?;
    let first_day = today - (CHART_DAYS - 1);
    let mut days: Vec<DayActivity> = (first_day..=today)
        .map(|day| DayActivity {
            start: day * DAY_SECS,
            ..DayActivity::default()
        })
        .collect();
    for count in state.store.daily_activity(first_day * DAY_SECS).await? {
        let Some(day) = usize::try_from(count.day - first_day)
            .ok()
            .and_then(|index| days.get_mut(index))
        else {
            continue;
        };
        let field = match count.kind.as_str() {
            "registration" => &mut day.registrations,
            "code_verified" => &mut day.verifications,
            "code_failed" => &mut day.failed_codes,
            "sign_in" => &mut day.sign_ins,
            _ => &mut day.refusals,
        };
        *field += count.count;
    }
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
        days,
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
        .live_sessions(
            user_id,
            now - settings.session_idle_secs.signed(),
            now - settings.session_lifetime_secs.signed(),
        )
        .await?
        .into_iter()
        .map(|row| session_view(row, None))
        .collect();
    let events = state
        .store
        .recent_events(user_id, EVENTS_SHOWN)
        .await?
        .into_iter()
        .map(activity_entry)
        .collect();
    let codes = state
        .store
        .find_codes(&CodeQuery {
            purpose: String::new(),
            state: String::new(),
            user_id: Some(user_id),
            from: i64::MIN,
            until: i64::MAX,
            now,
            before: i64::MAX,
            limit: CODES_SHOWN,
        })
        .await?
        .into_iter()
        .map(|code| admin_code(state, code, now))
        .collect();
    Ok(AdminUserDetail {
        user: admin_user(summary),
        sessions,
        events,
        codes,
        own_account: user_id == admin.user_id,
        password_entered_recently: password_entered_recently(state, admin).await?,
        groups: state.store.groups_of(user_id).await?,
        all_groups: state
            .store
            .groups()
            .await?
            .into_iter()
            .map(|group| group.name)
            .collect(),
    })
}

/// Does `action` to the account `user_id`. The admin's password is asked for again (`password`)
/// when the last one is older than `admin_reauthentication_secs`. True when something changed.
pub async fn act(
    state: &AppState,
    admin: &SignedIn,
    session: &Session,
    client: &Client,
    user_id: i64,
    action: AdminAction,
    password: &str,
) -> Result<bool, AppError> {
    if user_id == admin.user_id && !action.allowed_on_own_account() {
        return Err(AppError::NotOnOwnAccount);
    }
    require_recent_password(state, admin, session, client, password).await?;
    let Some(account) = state.store.user_summary(user_id).await? else {
        return Err(AppError::NoSuchAccount);
    };
    if action == AdminAction::SendRecoveryCode {
        recovery::start_for(state, client, &account.email, Some(admin.user_id)).await?;
        return Ok(true);
    }
    if action == AdminAction::ResendVerification {
        let flow_token = state
            .store
            .registration_flow_of(user_id)
            .await?
            .ok_or(AppError::AlreadyVerified)?;
        email_code::resend(
            state,
            client,
            CodePurpose::Registration,
            &flow_token,
            Some(admin.user_id),
        )
        .await?;
        return Ok(true);
    }
    let now = state.clock.now();
    let changed = state
        .store
        .act_on_account(AccountAction {
            kind: action,
            user_id,
            actor_id: Some(admin.user_id),
            client: Some(client),
            details: notice_details(client, now),
            now,
        })
        .await?;
    if matches!(action, AdminAction::ResetTwoFactor | AdminAction::Delete) {
        state.outbox_wake.notify_one();
    }
    Ok(changed)
}

/// Every change an admin makes needs their password (`password`, or a current code from their
/// app) entered within `admin_reauthentication_secs`; an older one is checked again here.
async fn require_recent_password(
    state: &AppState,
    admin: &SignedIn,
    session: &Session,
    client: &Client,
    password: &str,
) -> Result<(), AppError> {
    if password_entered_recently(state, admin).await? {
        return Ok(());
    }
    if password.is_empty() {
        return Err(AppError::ReauthenticationRequired);
    }
    reauthenticate(state, admin, client, password).await?;
    crate::server::auth::session::renew(session).await
}

/// The admin's password, or a current code from their app (six digits: no password is that
/// short), each checked and counted like a sign-in.
async fn reauthenticate(
    state: &AppState,
    admin: &SignedIn,
    client: &Client,
    answer: &str,
) -> Result<(), AppError> {
    let code = answer.trim();
    if code.len() != 6 || !code.bytes().all(|byte| byte.is_ascii_digit()) {
        return confirm_password(state, admin, client, answer).await;
    }
    let check = PasswordCheck::Confirmation {
        handle: &admin.handle,
    };
    match sign_in::check_second_factor(state, client, admin.user_id, code, None, check).await {
        Ok(SignInSettled::Confirmed) => Ok(()),
        Ok(_) | Err(AppError::SecondFactorInvalid) => Err(AppError::on_field(
            Field::CurrentPassword,
            t("field-admin-proof-wrong"),
        )),
        Err(other) => Err(other),
    }
}

async fn password_entered_recently(state: &AppState, admin: &SignedIn) -> Result<bool, AppError> {
    account::password_entered_within(state, admin, state.settings.admin_reauthentication_secs).await
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
