//! The security log: filtered, newest first, a page at a time.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{filter_input, list_page, query_string, refused, AdminNav};
use crate::{
    api::admin::fetch_admin_events,
    i18n::{t, t_with},
    model::{utc_timestamp, AdminEvent, AdminEventPage, EventFilter},
};

#[component]
pub fn AdminEventsPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |name: &str| query.read().get(name).unwrap_or_default();
    let filter = move || EventFilter::from_fields(field);
    let events = Resource::new(
        move || (filter(), field("before")),
        |(filter, before)| {
            fetch_admin_events(
                filter.kind,
                filter.account,
                filter.actor,
                filter.ip,
                filter.from,
                filter.to,
                before,
            )
        },
    );
    view! {
        <Title text=t_with("console-page-title", &[("page", t("console-events").into())])/>
        <h1>{t("console-events")}</h1>
        <AdminNav/>
        <Transition fallback=|| view! { <p>{t("loading")}</p> }>
            {move || events.get().map(|result| match result {
                Ok(page) => view! { <EventLog page filter=filter()/> }.into_any(),
                Err(error) => view! { <EventFilterForm filter=filter() kinds=Vec::new()/> {refused(error)} }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn EventFilterForm(filter: EventFilter, kinds: Vec<(String, String)>) -> impl IntoView {
    let chosen = filter.kind.clone();
    view! {
        <form method="get" action="/admin/events" class="form" role="search">
            <div class="field">
                <label for="event-kind">{t("console-kind")}</label>
                <select id="event-kind" name="kind">
                    <option value="">{t("console-every-kind")}</option>
                    {kinds.into_iter().map(|(kind, description)| {
                        let selected = kind == chosen;
                        view! { <option value=kind selected=selected>{description}</option> }
                    }).collect_view()}
                </select>
            </div>
            {filter_input("event-account", "account", "console-account-filter", "text", filter.account)}
            {filter_input("event-actor", "actor", "console-actor-filter", "text", filter.actor)}
            {filter_input("event-ip", "ip", "console-ip", "text", filter.ip)}
            {filter_input("event-from", "from", "console-from", "date", filter.from)}
            {filter_input("event-to", "to", "console-to", "date", filter.to)}
            <button type="submit">{t("console-filter")}</button>
        </form>
    }
}

#[component]
fn EventLog(page: AdminEventPage, filter: EventFilter) -> impl IntoView {
    let query = |before: &str| {
        query_string(&[
            ("kind", &filter.kind),
            ("account", &filter.account),
            ("actor", &filter.actor),
            ("ip", &filter.ip),
            ("from", &filter.from),
            ("to", &filter.to),
            ("before", before),
        ])
    };
    let next = page
        .next_before
        .map(|before| (before.to_string(), "console-older-events"));
    let rows = page
        .events
        .into_iter()
        .map(|event| view! { <EventItem event/> }.into_any())
        .collect();
    let list = list_page(
        "events",
        ("console-events-csv", "console-events-none"),
        "activity",
        query,
        next,
        rows,
    );
    view! {
        <EventFilterForm filter=filter.clone() kinds=page.kinds/>
        {list}
    }
}

#[component]
fn EventItem(event: AdminEvent) -> impl IntoView {
    let account = event.user_id.map(|user_id| {
        let name = event
            .username
            .clone()
            .unwrap_or_else(|| t_with("console-deleted-account", &[("id", user_id.into())]));
        view! { " · " <a href=format!("/admin/users/{user_id}")>{name}</a> }
    });
    let actor = event.actor_id.map(|actor_id| {
        let name = event
            .actor
            .clone()
            .unwrap_or_else(|| t_with("console-deleted-account", &[("id", actor_id.into())]));
        view! { " · " {t("console-by")} " " <a href=format!("/admin/users/{actor_id}")>{name}</a> }
    });
    let details = [utc_timestamp(event.at), event.ip, event.device, event.outcome]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <li data-testid="event">
            <strong>{event.description}</strong>
            {account}
            {actor}
            <br/>
            <span class="muted">{details}</span>
        </li>
    }
}
