//! The emailed-code log: what became of each code, never the code.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{choice, filter_input, list_page, query_string, refused, AdminNav};
use crate::{
    api::admin::fetch_admin_codes,
    i18n::{t, t_with},
    model::{utc_timestamp, AdminCode, AdminCodePage, CodeFilter},
};

/// The code log's filters: (value, label).
const PURPOSES: &[(&str, &str)] = &[
    ("", "console-every-purpose"),
    ("registration", "console-purpose-registration"),
    ("recovery", "console-purpose-recovery"),
    ("email_change", "console-purpose-email-change"),
];
const CODE_STATES: &[(&str, &str)] = &[
    ("", "console-every-state"),
    ("pending", "console-code-pending"),
    ("verified", "console-code-verified"),
    ("expired", "console-code-expired-unverified"),
    ("failed", "console-code-wrong-guesses"),
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
        <Title text=t_with("console-page-title", &[("page", t("console-codes").into())])/>
        <h1>{t("console-codes")}</h1>
        <AdminNav/>
        <CodeFilterForm filter=filter()/>
        <Transition fallback=|| view! { <p>{t("loading")}</p> }>
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
            {choice("code-purpose", "purpose", "console-purpose", PURPOSES, filter.purpose)}
            {choice("code-state", "state", "console-state", CODE_STATES, filter.state)}
            {filter_input("code-account", "account", "console-account-filter", "text", filter.account)}
            {filter_input("code-from", "from", "console-issued-from", "date", filter.from)}
            {filter_input("code-to", "to", "console-issued-until", "date", filter.to)}
            <button type="submit">{t("console-filter")}</button>
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
    let next = page
        .next_before
        .map(|before| (before.to_string(), "console-older-codes"));
    let rows = page
        .codes
        .into_iter()
        .map(|code| view! { <CodeItem code/> }.into_any())
        .collect();
    list_page(
        "codes",
        ("console-codes-csv", "console-codes-none"),
        "activity",
        query,
        next,
        rows,
    )
}

#[component]
pub(super) fn CodeItem(code: AdminCode) -> impl IntoView {
    let account = match (code.user_id, code.username.clone()) {
        (Some(user_id), Some(name)) => {
            view! { <a href=format!("/admin/users/{user_id}")>{name}</a> }.into_any()
        }
        _ => view! { <span>{t("console-code-no-account")}</span> }.into_any(),
    };
    let time = |at: Option<i64>| at.map(utc_timestamp).unwrap_or_else(|| t("console-not-yet"));
    let delivery = match (code.mail_sent_at, code.mail_attempts) {
        (Some(sent_at), Some(0)) => t_with("console-mail-sent", &[("when", utc_timestamp(sent_at).into())]),
        (Some(sent_at), Some(failures)) => t_with(
            "console-mail-sent-after",
            &[
                ("when", utc_timestamp(sent_at).into()),
                ("failures", failures.into()),
            ],
        ),
        (None, Some(failures)) => t_with("console-mail-not-sent", &[("failures", failures.into())]),
        _ => t("console-mail-swept"),
    };
    let error = code
        .mail_error
        .map(|error| format!(" · {}", t_with("console-mail-error", &[("error", error.into())])))
        .unwrap_or_default();
    let details = t_with(
        "console-code-details",
        &[
            ("email", code.email.into()),
            ("issued", utc_timestamp(code.issued_at).into()),
            ("sent", code.codes_issued.into()),
            ("current", time(code.sent_at).into()),
            ("expires", time(code.expires_at).into()),
            ("verified", time(code.verified_at).into()),
            ("wrong", code.failed_attempts.into()),
            ("total", code.total_failed_attempts.into()),
            ("delivery", delivery.into()),
        ],
    );
    view! {
        <li data-testid="code">
            <strong>{code.purpose}</strong> " · " <span class="badge">{code.state}</span> " · " {account}
            <br/>
            <span class="muted">{details} {error}</span>
        </li>
    }
    .into_any()
}
