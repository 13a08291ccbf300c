//! The security log and the emailed-code log: a page of either, or all of it as CSV.

use crate::{
    error::AppError,
    model::{
        utc_timestamp, AdminCode, AdminCodePage, AdminEvent, AdminEventPage, CodeFilter, CodePurpose,
        CodeState, EventFilter,
    },
    server::{
        audit,
        client::describe_logged_device,
        codes,
        domain::{CodeFlow, CodeQuery, EventKind, EventQuery, LoggedCode, LoggedEvent},
        state::AppState,
    },
};

use super::super::email_code;
use super::{csv_file::CsvFile, DAY_SECS, EVENTS_PER_PAGE, EXPORT_BATCH, EXPORT_MAX_ROWS};
use crate::i18n::t;

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
    let mut csv = CsvFile::new(&[
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
    ])?;
    let Some(mut query) = event_query(state, filter).await? else {
        return csv.finish();
    };
    query.limit = EXPORT_BATCH;
    let mut written = 0;
    while written < EXPORT_MAX_ROWS {
        let batch = state.store.find_events(&query).await?;
        let Some(last) = batch.last() else { break };
        query.before = last.event_id;
        for event in batch {
            let text = |value: Option<i64>| value.map(|value| value.to_string()).unwrap_or_default();
            csv.row([
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
            ])?;
            written += 1;
        }
    }
    csv.finish()
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
    let mut csv = CsvFile::new(&[
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
    ])?;
    let Some(mut query) = code_query(state, filter).await? else {
        return csv.finish();
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
            csv.row([
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
            ])?;
            written += 1;
        }
    }
    csv.finish()
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
pub(super) fn admin_code(state: &AppState, code: LoggedCode, now: i64) -> AdminCode {
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
        "console-code-verified"
    } else {
        match codes::state(&flow, now, email_code::rules(state)) {
            CodeState::Locked => "console-code-locked",
            CodeState::Expired => "console-code-expired",
            CodeState::Sent { .. } => "console-code-waiting",
            CodeState::Sending { .. } => "console-code-sending",
        }
    };
    AdminCode {
        code_id: code.code_id,
        purpose: CodePurpose::parse(&code.purpose).map_or(code.purpose.clone(), |purpose| t(purpose.label())),
        state: t(code_state),
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
        outcome: "",
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
        device: describe_logged_device(event.user_agent.as_deref()),
        outcome: match event.outcome.as_str() {
            "success" => t("console-outcome-success"),
            "failure" => t("console-outcome-failure"),
            _ => event.outcome,
        },
    }
}
