//! The admin console: who may open it (an admin, with two-factor on), what it shows, and what an
//! admin may do to an account. Every action needs the admin's password entered within
//! `admin_reauthentication_secs`, and is recorded in the account's security log with the admin as
//! its actor.

use crate::{
    error::AppError,
    model::{
        utc_timestamp, AccountState, AdminAction, AdminCode, AdminCodePage, AdminEvent, AdminEventPage,
        AdminOverview, AdminUser, AdminUserDetail, AdminUserPage, CodeFilter, CodePurpose, CodeState,
        DayActivity, EventFilter,
    },
    server::{
        audit,
        auth::session::SignedIn,
        client::{describe_device, Client},
        codes,
        domain::{
            AccountAction, CodeFlow, CodeQuery, EventKind, EventQuery, LoggedCode, LoggedEvent,
            PasswordCheck, SignInSettled, UserOrder, UserQuery, UserState, UserSummary,
        },
        state::AppState,
    },
    validate::{Field, FieldError},
};

use super::{
    account::{activity_entry, confirm_password},
    devices::session_view,
    email_code, notice_details, recovery, sign_in,
};

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

/// One page of accounts whose username or address starts with `search`, in `filter`'s state, in
/// the order `sort` ("newest", or by username), from `after` (the previous page's last key).
pub async fn users(
    state: &AppState,
    search: &str,
    filter: &str,
    sort: &str,
    after: &str,
) -> Result<AdminUserPage, AppError> {
    let query = user_query(search, filter, sort, after, USERS_PER_PAGE + 1);
    let mut found = state.store.find_users(&query).await?;
    let more = found.len() as i64 > USERS_PER_PAGE;
    found.truncate(USERS_PER_PAGE as usize);
    let next_after = more
        .then(|| found.last().map(|user| page_key(&query.order, user)))
        .flatten();
    Ok(AdminUserPage {
        users: found.into_iter().map(admin_user).collect(),
        next_after,
    })
}

fn user_query(search: &str, filter: &str, sort: &str, after: &str, limit: i64) -> UserQuery {
    let order = match sort {
        "newest" => UserOrder::Newest {
            before: after.parse().unwrap_or(i64::MAX),
        },
        _ => UserOrder::Username {
            after: after.to_string(),
        },
    };
    UserQuery {
        prefix: search.trim().to_lowercase(),
        state: UserState::parse(filter).unwrap_or_default(),
        order,
        limit,
    }
}

/// Where the page after `last` starts, in `order`.
fn page_key(order: &UserOrder, last: &UserSummary) -> String {
    match order {
        UserOrder::Username { .. } => last.username.clone(),
        UserOrder::Newest { .. } => last.user_id.to_string(),
    }
}

/// Every account the list would show for `search`, `filter` and `sort`, as CSV.
pub async fn users_csv(state: &AppState, search: &str, filter: &str, sort: &str) -> Result<String, AppError> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record([
        "user_id",
        "username",
        "email",
        "state",
        "admin",
        "two_factor",
        "created_at",
        "last_login_at",
    ])
    .map_err(crate::server::error::internal)?;
    let mut query = user_query(search, filter, sort, "", EXPORT_BATCH);
    let mut written = 0;
    while written < EXPORT_MAX_ROWS {
        let batch = state.store.find_users(&query).await?;
        let Some(last) = batch.last() else { break };
        query = user_query(search, filter, sort, &page_key(&query.order, last), EXPORT_BATCH);
        for user in batch.into_iter().map(admin_user) {
            csv.write_record([
                user.user_id.to_string(),
                user.username,
                user.email,
                user.state.label().to_string(),
                user.admin.to_string(),
                user.two_factor.to_string(),
                utc_timestamp(user.created_at),
                user.last_login_at.map(utc_timestamp).unwrap_or_default(),
            ])
            .map_err(crate::server::error::internal)?;
            written += 1;
        }
    }
    finish_csv(csv)
}

/// One page of the security log, newest first, before the event id `before`.
pub async fn events(
    state: &AppState,
    filter: &EventFilter,
    before: &str,
) -> Result<AdminEventPage, AppError> {
    let kinds = EventKind::ALL
        .iter()
        .map(|kind| {
            (
                kind.as_str().to_string(),
                audit::describe(kind.as_str()).to_string(),
            )
        })
        .collect();
    let Some(mut query) = event_query(state, filter).await? else {
        return Ok(AdminEventPage {
            events: Vec::new(),
            next_before: None,
            kinds,
        });
    };
    query.before = before.parse().unwrap_or(i64::MAX);
    query.limit = EVENTS_PER_PAGE + 1;
    let mut found = state.store.find_events(&query).await?;
    let more = found.len() as i64 > EVENTS_PER_PAGE;
    found.truncate(EVENTS_PER_PAGE as usize);
    let next_before = more.then(|| found.last().map(|event| event.event_id)).flatten();
    Ok(AdminEventPage {
        events: found.into_iter().map(admin_event).collect(),
        next_before,
        kinds,
    })
}

/// Every event the log would show for `filter`, as CSV.
pub async fn events_csv(state: &AppState, filter: &EventFilter) -> Result<String, AppError> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record([
        "event_id",
        "at",
        "kind",
        "outcome",
        "user_id",
        "username",
        "actor_id",
        "actor",
        "ip",
        "user_agent",
    ])
    .map_err(crate::server::error::internal)?;
    let Some(mut query) = event_query(state, filter).await? else {
        return finish_csv(csv);
    };
    query.limit = EXPORT_BATCH;
    let mut written = 0;
    while written < EXPORT_MAX_ROWS {
        let batch = state.store.find_events(&query).await?;
        let Some(last) = batch.last() else { break };
        query.before = last.event_id;
        for event in batch {
            let text = |value: Option<i64>| value.map(|value| value.to_string()).unwrap_or_default();
            csv.write_record([
                event.event_id.to_string(),
                utc_timestamp(event.at),
                event.kind,
                event.outcome,
                text(event.user_id),
                event.username.unwrap_or_default(),
                text(event.actor_id),
                event.actor.unwrap_or_default(),
                event.ip.unwrap_or_default(),
                event.user_agent.unwrap_or_default(),
            ])
            .map_err(crate::server::error::internal)?;
            written += 1;
        }
    }
    finish_csv(csv)
}

fn finish_csv(csv: csv::Writer<Vec<u8>>) -> Result<String, AppError> {
    let bytes = csv.into_inner().map_err(crate::server::error::internal)?;
    String::from_utf8(bytes).map_err(crate::server::error::internal)
}

/// One page of the emailed-code log, newest first, before the code id `before`.
pub async fn codes(state: &AppState, filter: &CodeFilter, before: &str) -> Result<AdminCodePage, AppError> {
    let Some(mut query) = code_query(state, filter).await? else {
        return Ok(AdminCodePage {
            codes: Vec::new(),
            next_before: None,
        });
    };
    query.before = before.parse().unwrap_or(i64::MAX);
    query.limit = EVENTS_PER_PAGE + 1;
    let mut found = state.store.find_codes(&query).await?;
    let more = found.len() as i64 > EVENTS_PER_PAGE;
    found.truncate(EVENTS_PER_PAGE as usize);
    let next_before = more.then(|| found.last().map(|code| code.code_id)).flatten();
    Ok(AdminCodePage {
        codes: found
            .into_iter()
            .map(|code| admin_code(state, code, query.now))
            .collect(),
        next_before,
    })
}

/// Every flow the code log would show for `filter`, as CSV.
pub async fn codes_csv(state: &AppState, filter: &CodeFilter) -> Result<String, AppError> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record([
        "code_id",
        "purpose",
        "state",
        "user_id",
        "username",
        "email",
        "issued_at",
        "codes_issued",
        "sent_at",
        "expires_at",
        "verified_at",
        "failed_attempts",
        "total_failed_attempts",
        "mail_failed_attempts",
        "mail_sent_at",
        "mail_error",
    ])
    .map_err(crate::server::error::internal)?;
    let Some(mut query) = code_query(state, filter).await? else {
        return finish_csv(csv);
    };
    query.limit = EXPORT_BATCH;
    let mut written = 0;
    while written < EXPORT_MAX_ROWS {
        let batch = state.store.find_codes(&query).await?;
        let Some(last) = batch.last() else { break };
        query.before = last.code_id;
        for code in batch {
            let code = admin_code(state, code, query.now);
            let time = |at: Option<i64>| at.map(utc_timestamp).unwrap_or_default();
            csv.write_record([
                code.code_id.to_string(),
                code.purpose,
                code.state,
                code.user_id.map(|id| id.to_string()).unwrap_or_default(),
                code.username.unwrap_or_default(),
                code.email,
                utc_timestamp(code.issued_at),
                code.codes_issued.to_string(),
                time(code.sent_at),
                time(code.expires_at),
                time(code.verified_at),
                code.failed_attempts.to_string(),
                code.total_failed_attempts.to_string(),
                code.mail_attempts.map(|n| n.to_string()).unwrap_or_default(),
                time(code.mail_sent_at),
                code.mail_error.unwrap_or_default(),
            ])
            .map_err(crate::server::error::internal)?;
            written += 1;
        }
    }
    finish_csv(csv)
}

async fn code_query(state: &AppState, filter: &CodeFilter) -> Result<Option<CodeQuery>, AppError> {
    let Some(user_id) = account_filter(state, &filter.account).await? else {
        return Ok(None);
    };
    let (from, until) = day_range(&filter.from, &filter.to)?;
    Ok(Some(CodeQuery {
        purpose: filter.purpose.trim().to_string(),
        state: filter.state.trim().to_string(),
        user_id,
        from,
        until,
        now: state.clock.now(),
        before: i64::MAX,
        limit: EVENTS_PER_PAGE,
    }))
}

/// A flow as the log shows it, its state judged by the one set of code rules (`codes::state`).
fn admin_code(state: &AppState, code: LoggedCode, now: i64) -> AdminCode {
    let flow = CodeFlow {
        email: code.email.clone(),
        code_sent_at: code.code_sent_at,
        code_expires_at: code.code_expires_at,
        code_failed_attempts: code.code_failed_attempts,
        total_failed_attempts: code.total_failed_attempts,
        last_requested_at: code.created_at,
        unsent_delivery_failures: code
            .mail_sent_at
            .is_none()
            .then_some(code.mail_attempts.unwrap_or(0)),
    };
    let code_state = if code.verified_at.is_some() {
        "Verified"
    } else {
        match codes::state(&flow, now, email_code::rules(state)) {
            CodeState::Locked => "Locked",
            CodeState::Expired => "Expired",
            CodeState::Sent { .. } => "Waiting for the code",
            CodeState::Sending { .. } => "Waiting for its mail",
        }
    };
    AdminCode {
        code_id: code.code_id,
        purpose: CodePurpose::parse(&code.purpose)
            .map_or(code.purpose.clone(), |purpose| purpose.label().to_string()),
        state: code_state.to_string(),
        user_id: code.user_id,
        username: code.username,
        email: code.email,
        issued_at: code.created_at,
        codes_issued: code.codes_issued,
        sent_at: code.code_sent_at,
        expires_at: code.code_expires_at,
        verified_at: code.verified_at,
        failed_attempts: code.code_failed_attempts,
        total_failed_attempts: code.total_failed_attempts,
        mail_attempts: code.mail_attempts,
        mail_sent_at: code.mail_sent_at,
        mail_error: code.mail_error,
    }
}

/// The account a filter names: `Some(None)` for no filter, `None` when no account has that name
/// (then nothing matches).
async fn account_filter(state: &AppState, identifier: &str) -> Result<Option<Option<i64>>, AppError> {
    let identifier = identifier.trim().to_lowercase();
    if identifier.is_empty() {
        return Ok(Some(None));
    }
    Ok(state.store.user_id_of(&identifier).await?.map(Some))
}

/// `from <= t < until` for the days `from` and `to` (`YYYY-MM-DD`, UTC, both included).
fn day_range(from: &str, to: &str) -> Result<(i64, i64), AppError> {
    let from = match from.trim() {
        "" => i64::MIN,
        day => start_of_day(day).ok_or(AppError::InvalidDate)?,
    };
    let until = match to.trim() {
        "" => i64::MAX,
        day => start_of_day(day).ok_or(AppError::InvalidDate)? + DAY_SECS,
    };
    Ok((from, until))
}

/// The store's query for `filter`, or None when it names an account that does not exist (then
/// nothing matches).
async fn event_query(state: &AppState, filter: &EventFilter) -> Result<Option<EventQuery>, AppError> {
    let (Some(user_id), Some(actor_id)) = (
        account_filter(state, &filter.account).await?,
        account_filter(state, &filter.actor).await?,
    ) else {
        return Ok(None);
    };
    let (from, until) = day_range(&filter.from, &filter.to)?;
    Ok(Some(EventQuery {
        kind: filter.kind.trim().to_string(),
        user_id,
        actor_id,
        ip: filter.ip.trim().to_string(),
        from,
        until,
        before: i64::MAX,
        limit: EVENTS_PER_PAGE,
    }))
}

/// `YYYY-MM-DD` → its first second (UTC).
fn start_of_day(day: &str) -> Option<i64> {
    let mut parts = day.splitn(3, '-').map(|part| part.parse::<i32>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = time::Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp())
}

fn admin_event(event: LoggedEvent) -> AdminEvent {
    AdminEvent {
        event_id: event.event_id,
        at: event.at,
        description: audit::describe(&event.kind).to_string(),
        kind: event.kind,
        user_id: event.user_id,
        username: event.username,
        actor_id: event.actor_id,
        actor: event.actor,
        ip: event.ip.unwrap_or_default(),
        device: event
            .user_agent
            .as_deref()
            .map(describe_device)
            .unwrap_or_default(),
        outcome: event.outcome,
    }
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
        .map(|device| session_view(device, None))
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
        reauthenticate(state, admin, client, password).await?;
    }
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
        Ok(_) | Err(AppError::SecondFactorInvalid) => Err(AppError::Validation(vec![FieldError {
            field: Field::CurrentPassword,
            message: "That code did not work. Enter the current code from your app, or your password."
                .to_string(),
        }])),
        Err(other) => Err(other),
    }
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
