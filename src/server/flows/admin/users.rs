//! The user list: one page of it, or all of it as CSV.

use crate::{
    error::AppError,
    model::{utc_timestamp, AdminUserPage},
    server::{
        domain::{UserOrder, UserQuery, UserState, UserSummary},
        state::AppState,
    },
};

use super::{admin_user, csv_file::CsvFile, EXPORT_BATCH, EXPORT_MAX_ROWS, USERS_PER_PAGE};
use crate::i18n::t;

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
    let mut csv = CsvFile::new(&[
        "user_id",
        "username",
        "email",
        "state",
        "admin",
        "two_factor",
        "created_at",
        "last_login_at",
    ])?;
    let mut query = user_query(search, filter, sort, "", EXPORT_BATCH);
    let mut written = 0;
    while written < EXPORT_MAX_ROWS {
        let batch = state.store.find_users(&query).await?;
        let Some(last) = batch.last() else { break };
        query = user_query(search, filter, sort, &page_key(&query.order, last), EXPORT_BATCH);
        for user in batch.into_iter().map(admin_user) {
            csv.row([
                user.user_id.to_string(),
                user.username,
                user.email,
                t(user.state.label()),
                user.admin.to_string(),
                user.two_factor.to_string(),
                utc_timestamp(user.created_at),
                user.last_login_at.map(utc_timestamp).unwrap_or_default(),
            ])?;
            written += 1;
        }
    }
    csv.finish()
}
