//! The emailed-code log: what became of each code, never the code.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{choice, filter_input, list_page, query_string, refused, AdminNav};
use crate::{
    api::admin::fetch_admin_codes,
    model::{utc_timestamp, AdminCode, AdminCodePage, CodeFilter},
};

/// The code log's filters: (value, label).
const PURPOSES: &[(&str, &str)] = &[
    ("", "Every purpose"),
    ("registration", "Registration"),
    ("recovery", "Password recovery"),
    ("email_change", "Email change"),
];
const CODE_STATES: &[(&str, &str)] = &[
    ("", "Every state"),
    ("pending", "Not verified yet, not expired"),
    ("verified", "Verified"),
    ("expired", "Expired unverified"),
    ("failed", "With wrong guesses"),
];

/// The "OTP log": every emailed code's flow, what happened to it and its mail; never the code.
#[component]
pub fn AdminCodesPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |name: &str| query.read().get(name).unwrap_or_default();
    let filter = move || CodeFilter::from_fields(field);
    let codes = Resource::new(
        move || (filter(), field("before")),
        |(filter, before)| {
            fetch_admin_codes(
                filter.purpose,
                filter.state,
                filter.account,
                filter.from,
                filter.to,
                before,
            )
        },
    );
    view! {
        <Title text="Code log · Admin console"/>
        <h1>"Code log"</h1>
        <AdminNav/>
        <CodeFilterForm filter=filter()/>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || codes.get().map(|result| match result {
                Ok(page) => view! { <CodeLog page filter=filter()/> }.into_any(),
                Err(error) => refused(error),
            })}
        </Transition>
    }
}

#[component]
fn CodeFilterForm(filter: CodeFilter) -> impl IntoView {
    view! {
        <form method="get" action="/admin/codes" class="form" role="search">
            {choice("code-purpose", "purpose", "Purpose", PURPOSES, filter.purpose)}
            {choice("code-state", "state", "State", CODE_STATES, filter.state)}
            {filter_input("code-account", "account", "Account (username or email)", "text", filter.account)}
            {filter_input("code-from", "from", "Issued from (YYYY-MM-DD)", "date", filter.from)}
            {filter_input("code-to", "to", "Issued until (YYYY-MM-DD)", "date", filter.to)}
            <button type="submit">"Filter"</button>
        </form>
    }
    .into_any()
}

#[component]
fn CodeLog(page: AdminCodePage, filter: CodeFilter) -> impl IntoView {
    let query = |before: &str| {
        query_string(&[
            ("purpose", &filter.purpose),
            ("state", &filter.state),
            ("account", &filter.account),
            ("from", &filter.from),
            ("to", &filter.to),
            ("before", before),
        ])
    };
    let next = page.next_before.map(|before| (before.to_string(), "Older codes"));
    let rows = page
        .codes
        .into_iter()
        .map(|code| view! { <CodeItem code/> }.into_any())
        .collect();
    list_page("codes", ("codes", "code"), "activity", query, next, rows)
}

#[component]
pub(super) fn CodeItem(code: AdminCode) -> impl IntoView {
    let account = match (code.user_id, code.username.clone()) {
        (Some(user_id), Some(name)) => {
            view! { <a href=format!("/admin/users/{user_id}")>{name}</a> }.into_any()
        }
        _ => view! { <span>"no account (a stand-in for a taken address)"</span> }.into_any(),
    };
    let time = |at: Option<i64>| at.map(utc_timestamp).unwrap_or_else(|| "not yet".into());
    let delivery = match (code.mail_sent_at, code.mail_attempts) {
        (Some(sent_at), Some(0)) => format!("mail sent {}", utc_timestamp(sent_at)),
        (Some(sent_at), Some(failures)) => {
            format!(
                "mail sent {} after {failures} failed attempt(s)",
                utc_timestamp(sent_at)
            )
        }
        (None, Some(failures)) => format!("mail not sent yet, {failures} failed attempt(s)"),
        _ => "mail row already swept".to_string(),
    };
    let error = code
        .mail_error
        .map(|error| format!(" · last mail-server error: {error}"))
        .unwrap_or_default();
    view! {
        <li data-testid="code">
            <strong>{code.purpose}</strong> " · " <span class="badge">{code.state}</span> " · " {account}
            <br/>
            <span class="muted">
                {code.email} " · issued " {utc_timestamp(code.issued_at)} " · codes sent " {code.codes_issued}
                " · current code sent " {time(code.sent_at)} " · expires " {time(code.expires_at)}
                " · verified " {time(code.verified_at)} " · wrong guesses " {code.failed_attempts}
                " (" {code.total_failed_attempts} " in all) · " {delivery} {error}
            </span>
        </li>
    }
    .into_any()
}
