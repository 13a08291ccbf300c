//! The admin console: the overview, the user list, an account's page, the security log and the
//! code log. Every page reads and works without JavaScript: the searches are plain GET forms, and
//! each action is confirmed on a page of its own (`?confirm=<action>`) before its form is posted.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::admin::{
        fetch_admin_codes, fetch_admin_events, fetch_admin_overview, fetch_admin_user, fetch_admin_users,
        ActOnAccount,
    },
    components::ErrorNotice,
    model::{
        utc_timestamp, AdminAction, AdminCode, AdminCodePage, AdminEvent, AdminEventPage, AdminOverview,
        AdminUser, AdminUserDetail, AdminUserPage, CodeFilter, DayActivity, EventFilter,
    },
};

/// The user list's orders: (value, label).
const SORTS: &[(&str, &str)] = &[("", "By username"), ("newest", "Newest first")];

/// The user list's state filter: (value, label).
const FILTERS: &[(&str, &str)] = &[
    ("", "Everyone"),
    ("unverified", "Unverified"),
    ("active", "Active"),
    ("locked", "Locked"),
    ("disabled", "Disabled"),
    ("admin", "Administrators"),
    ("two_factor_on", "Two-factor on"),
    ("two_factor_off", "Two-factor off"),
];

#[component]
fn AdminNav() -> impl IntoView {
    view! {
        <nav aria-label="Admin console" class="actions">
            <a class="button secondary" href="/admin">"Overview"</a>
            <a class="button secondary" href="/admin/users">"Users"</a>
            <a class="button secondary" href="/admin/events">"Security log"</a>
            <a class="button secondary" href="/admin/codes">"Code log"</a>
            <a class="button secondary" href="/dashboard">"Your dashboard"</a>
        </nav>
    }
}

fn refused(error: impl std::fmt::Display) -> AnyView {
    view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any()
}

#[component]
pub fn AdminOverviewPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| fetch_admin_overview());
    view! {
        <Title text="Admin console"/>
        <h1>"Admin console"</h1>
        <AdminNav/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || overview.get().map(|result| match result {
                Ok(overview) => view! { <Counts overview/> }.into_any(),
                Err(error) => refused(error),
            })}
        </Suspense>
    }
}

#[component]
fn Counts(overview: AdminOverview) -> impl IntoView {
    let link = |filter: &str, count: i64| {
        view! { <a href=format!("/admin/users?filter={filter}")>{count}</a> }
    };
    view! {
        <section aria-labelledby="accounts-heading">
            <h2 id="accounts-heading">"Accounts"</h2>
            <dl class="account" data-testid="account-counts">
                <dt>"All accounts"</dt>
                <dd>{link("all", overview.accounts)}</dd>
                <dt>"Unverified"</dt>
                <dd>{link("unverified", overview.unverified)}</dd>
                <dt>"Locked"</dt>
                <dd>{link("locked", overview.locked)}</dd>
                <dt>"Disabled"</dt>
                <dd>{link("disabled", overview.disabled)}</dd>
                <dt>"Administrators"</dt>
                <dd>{link("admin", overview.admins)}</dd>
                <dt>"With two-factor"</dt>
                <dd>{link("two_factor_on", overview.two_factor)}</dd>
            </dl>
        </section>
        <section aria-labelledby="today-heading">
            <h2 id="today-heading">"Today (UTC)"</h2>
            <dl class="account" data-testid="today-counts">
                <dt>"Codes sent"</dt>
                <dd>{overview.codes_sent_today}</dd>
                <dt>"Sign-ins"</dt>
                <dd>{overview.sign_ins_today}</dd>
                <dt>"Failed sign-ins"</dt>
                <dd>{overview.failed_sign_ins_today}</dd>
                <dt>"Refused requests"</dt>
                <dd>{overview.refusals_today}</dd>
            </dl>
        </section>
        <section aria-labelledby="chart-heading">
            <h2 id="chart-heading">"The last 30 days"</h2>
            <ActivityChart days=overview.days/>
        </section>
    }
    .into_any()
}

/// The chart's series: name, colour, dash pattern (so they differ without colour too), value.
type Series = (&'static str, &'static str, &'static str, fn(&DayActivity) -> i64);

const SERIES: [Series; 5] = [
    ("Registrations", "#1f4e79", "", |day| day.registrations),
    ("Verifications", "#2e7d32", "8 4", |day| day.verifications),
    ("Failed codes", "#b42318", "2 3", |day| day.failed_codes),
    ("Sign-ins", "#6a1b9a", "12 4 2 4", |day| day.sign_ins),
    ("Refusals", "#8a5a00", "4 4", |day| day.refusals),
];

/// A line per series, drawn on the server as SVG (no script, no external service), with the
/// numbers in a table beneath for anyone who cannot read the lines.
#[component]
fn ActivityChart(days: Vec<DayActivity>) -> impl IntoView {
    const WIDTH: f64 = 600.0;
    const HEIGHT: f64 = 220.0;
    const LEFT: f64 = 56.0;
    const MARGIN: f64 = 16.0;
    let top = SERIES
        .iter()
        .flat_map(|(_, _, _, value)| days.iter().map(value))
        .max()
        .unwrap_or(0)
        .max(1);
    let step = (WIDTH - LEFT - MARGIN) / (days.len().max(2) - 1) as f64;
    let y = move |value: i64| HEIGHT - MARGIN - value as f64 * (HEIGHT - 2.0 * MARGIN) / top as f64;
    let lines = SERIES
        .iter()
        .map(|(name, colour, dash, value)| {
            let points = days
                .iter()
                .enumerate()
                .map(|(index, day)| format!("{:.1},{:.1}", LEFT + index as f64 * step, y(value(day))))
                .collect::<Vec<_>>()
                .join(" ");
            view! {
                <polyline points=points fill="none" stroke=*colour stroke-width="2.5" stroke-dasharray=*dash>
                    <title>{*name}</title>
                </polyline>
            }
        })
        .collect_view();
    let first = days.first().map(|day| day_label(day.start)).unwrap_or_default();
    let last = days.last().map(|day| day_label(day.start)).unwrap_or_default();
    let summary = format!(
        "Registrations, verifications, failed codes, sign-ins and refused requests per day from {first} to {last}; the highest daily count is {top}."
    );
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=summary.clone()>
                <line x1=LEFT y1=MARGIN x2=LEFT y2=HEIGHT - MARGIN stroke="#5b6673"/>
                <line x1=LEFT y1=HEIGHT - MARGIN x2=WIDTH - MARGIN y2=HEIGHT - MARGIN stroke="#5b6673"/>
                <text x=LEFT - 6.0 y=MARGIN + 4.0 text-anchor="end" font-size="18" fill="#1f2328">{top}</text>
                <text x=LEFT - 6.0 y=HEIGHT - MARGIN + 4.0 text-anchor="end" font-size="18" fill="#1f2328">"0"</text>
                {lines}
            </svg>
            <figcaption>
                <ul class="legend">
                    {SERIES.iter().map(|(name, colour, dash, _)| view! {
                        <li>
                            <svg viewBox="0 0 30 10" width="30" height="10" aria-hidden="true">
                                <line x1="0" y1="5" x2="30" y2="5" stroke=*colour stroke-width="2.5" stroke-dasharray=*dash/>
                            </svg>
                            " " {*name}
                        </li>
                    }).collect_view()}
                </ul>
                {format!("{first} to {last} (UTC)")}
            </figcaption>
        </figure>
        <ActivityTable days/>
    }
    .into_any()
}

#[component]
fn ActivityTable(days: Vec<DayActivity>) -> impl IntoView {
    view! {
        <details>
            <summary>"The numbers, day by day"</summary>
            <table class="numbers">
                <thead>
                    <tr>
                        <th scope="col">"Day"</th>
                        {SERIES.iter().map(|(name, ..)| view! { <th scope="col">{*name}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {days.iter().rev().map(|day| view! {
                        <tr>
                            <th scope="row">{day_label(day.start)}</th>
                            {SERIES.iter().map(|(_, _, _, value)| view! { <td>{value(day)}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
    .into_any()
}

/// `2026-11-25`.
fn day_label(start: i64) -> String {
    utc_timestamp(start)[..10].to_string()
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |name: &str| query.read().get(name).unwrap_or_default();
    let users = Resource::new(
        move || (field("search"), field("filter"), field("sort"), field("after")),
        |(search, filter, sort, after)| fetch_admin_users(search, filter, sort, after),
    );
    view! {
        <Title text="Users · Admin console"/>
        <h1>"Users"</h1>
        <AdminNav/>
        {move || query.read().get("deleted").map(|_| view! {
            <p class="notice success" role="status">"The account was deleted, and its owner mailed a last notice."</p>
        })}
        <form method="get" action="/admin/users" class="form" role="search">
            {filter_input("user-search", "search", "Username or email starts with", "search", field("search"))}
            {choice("user-filter", "filter", "Show", FILTERS, field("filter"))}
            {choice("user-sort", "sort", "Order", SORTS, field("sort"))}
            <button type="submit">"Search"</button>
        </form>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || users.get().map(|result| match result {
                Ok(page) => view! {
                    <UserList page search=field("search") filter=field("filter") sort=field("sort")/>
                }
                .into_any(),
                Err(error) => refused(error),
            })}
        </Transition>
    }
}

#[component]
fn UserList(page: AdminUserPage, search: String, filter: String, sort: String) -> impl IntoView {
    let query = |after: &str| {
        query_string(&[
            ("search", &search),
            ("filter", &filter),
            ("sort", &sort),
            ("after", after),
        ])
    };
    let next = page.next_after.map(|after| {
        view! { <a class="button secondary" href=format!("/admin/users?{}", query(&after))>"Next page"</a> }
    });
    let export = format!("/admin/users.csv?{}", query(""));
    let empty = page.users.is_empty();
    view! {
        <p><a href=export download="">"Download these accounts as CSV"</a></p>
        {empty.then(|| view! { <p role="status">"No account matches."</p> })}
        <ul class="sessions" data-testid="users">
            {page.users.into_iter().map(|user| view! { <UserItem user/> }).collect_view()}
        </ul>
        {next}
    }
}

fn query_string(pairs: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        query.append_pair(name, value);
    }
    query.finish()
}

#[component]
fn UserItem(user: AdminUser) -> impl IntoView {
    view! {
        <li data-testid="user">
            <a href=format!("/admin/users/{}", user.user_id)><strong>{user.username.clone()}</strong></a>
            " " <span class="badge">{user.state.label()}</span>
            {user.admin.then(|| view! { " " <span class="badge">"admin"</span> })}
            {user.two_factor.then(|| view! { " " <span class="badge">"two-factor"</span> })}
            <br/>
            <span class="muted">
                {user.email} " · created " {utc_timestamp(user.created_at)}
                " · last sign-in " {user.last_login_at.map(utc_timestamp).unwrap_or_else(|| "never".into())}
            </span>
        </li>
    }
}

#[component]
pub fn AdminUserPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let user_id = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok());
    // Read again after each action (its redirect names it in `done`).
    let detail = Resource::new(
        move || (user_id(), query.read().get("done")),
        |(user_id, _)| async move {
            match user_id {
                Some(user_id) => fetch_admin_user(user_id).await,
                None => Err(crate::error::AppError::NoSuchAccount),
            }
        },
    );
    let done = move || query.read().get("done").as_deref().and_then(AdminAction::parse);
    let confirm = move || {
        query
            .read()
            .get("confirm")
            .as_deref()
            .and_then(AdminAction::parse)
    };
    view! {
        <Title text="Account · Admin console"/>
        <AdminNav/>
        {move || done().map(|action| view! {
            <p class="notice success" role="status">{format!("Done: {}.", action.label())}</p>
        })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || detail.get().map(|result| match result {
                Ok(detail) => view! { <UserDetail detail confirm=confirm()/> }.into_any(),
                Err(error) => view! { <h1>"Account"</h1> {refused(error)} }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn UserDetail(detail: AdminUserDetail, confirm: Option<AdminAction>) -> impl IntoView {
    let user = detail.user.clone();
    let actions: Vec<AdminAction> = AdminAction::ALL
        .into_iter()
        .filter(|action| action.applies_to(&user))
        .filter(|action| !detail.own_account || action.allowed_on_own_account())
        .collect();
    let confirmation = confirm
        .filter(|action| actions.contains(action))
        .map(|action| view! { <Confirm user_id=user.user_id action ask_password=!detail.password_entered_recently/> });
    let page = format!("/admin/users/{}", user.user_id);
    view! {
        <h1>{user.username.clone()}</h1>
        <dl class="account" data-testid="profile">
            <dt>"Email"</dt>
            <dd>{user.email.clone()}</dd>
            <dt>"State"</dt>
            <dd data-testid="state">{user.state.label()}</dd>
            <dt>"Role"</dt>
            <dd>{if user.admin { "Administrator" } else { "User" }}</dd>
            <dt>"Two-factor sign-in"</dt>
            <dd>{if user.two_factor { "On" } else { "Off" }}</dd>
            <dt>"Created"</dt>
            <dd>{utc_timestamp(user.created_at)}</dd>
            <dt>"Last sign-in"</dt>
            <dd>{user.last_login_at.map(utc_timestamp).unwrap_or_else(|| "Never".into())}</dd>
        </dl>
        {confirmation}
        <section aria-labelledby="actions-heading">
            <h2 id="actions-heading">"Actions"</h2>
            <ul class="actions">
                {actions.into_iter().map(|action| view! {
                    <li><a class="button secondary" href=format!("{page}?confirm={}", action.as_str())>{action.label()}</a></li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="user-sessions-heading">
            <h2 id="user-sessions-heading">"Sessions"</h2>
            {detail.sessions.is_empty().then(|| view! { <p>"Not signed in anywhere."</p> })}
            <ul class="sessions">
                {detail.sessions.into_iter().map(|session| view! {
                    <li data-testid="session">
                        <strong>{session.device}</strong><br/>
                        <span class="muted">
                            {session.ip} " · signed in " {utc_timestamp(session.signed_in_at)}
                            " · last seen " {utc_timestamp(session.last_seen_at)}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="user-codes-heading">
            <h2 id="user-codes-heading">"Emailed codes"</h2>
            {detail.codes.is_empty().then(|| view! { <p>"None."</p> })}
            <ul class="activity" data-testid="codes">
                {detail.codes.into_iter().map(|code| view! { <CodeItem code/> }).collect_view()}
            </ul>
            <p><a href=format!("/admin/codes?{}", query_string(&[("account", &user.username)]))>"All of this account's codes"</a></p>
        </section>
        <section aria-labelledby="user-events-heading">
            <h2 id="user-events-heading">"Security events"</h2>
            <ul class="activity" data-testid="events">
                {detail.events.into_iter().map(|event| view! {
                    <li>
                        <strong>{event.description}</strong><br/>
                        <span class="muted">
                            {[utc_timestamp(event.at), event.ip, event.device]
                                .into_iter()
                                .filter(|part| !part.is_empty())
                                .collect::<Vec<_>>()
                                .join(" · ")}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The confirmation of one action: what it does, the admin's password when the last one is old,
/// and the button that posts it.
#[component]
fn Confirm(user_id: i64, action: AdminAction, ask_password: bool) -> impl IntoView {
    let act = ServerAction::<ActOnAccount>::new();
    let error = Signal::derive(move || act.value().get().and_then(Result::err));
    view! {
        <section aria-labelledby="confirm-heading" class="confirm">
            <h2 id="confirm-heading">{format!("{}?", action.label())}</h2>
            <p>{action.consequence()}</p>
            <ActionForm action=act attr:class="form" attr:novalidate=true>
                <input type="hidden" name="user_id" value=user_id.to_string()/>
                <input type="hidden" name="action" value=action.as_str()/>
                {ask_password.then(|| view! {
                    <div class="field">
                        <label for="admin-password">"Your password, or a current code from your app"</label>
                        <input id="admin-password" name="password" type="password" autocomplete="current-password"
                            aria-describedby="admin-password-hint" required/>
                        <p class="hint" id="admin-password-hint">"Actions on accounts need your password, or your app's code, from the last few minutes."</p>
                    </div>
                })}
                <ErrorNotice error/>
                <div class="actions">
                    <button type="submit">"Confirm"</button>
                    <a class="button secondary" href=format!("/admin/users/{user_id}")>"Cancel"</a>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn AdminEventsPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |name: &str| query.read().get(name).unwrap_or_default();
    let filter = move || EventFilter {
        kind: field("kind"),
        account: field("account"),
        actor: field("actor"),
        ip: field("ip"),
        from: field("from"),
        to: field("to"),
    };
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
        <Title text="Security log · Admin console"/>
        <h1>"Security log"</h1>
        <AdminNav/>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
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
                <label for="event-kind">"Kind"</label>
                <select id="event-kind" name="kind">
                    <option value="">"Every kind"</option>
                    {kinds.into_iter().map(|(kind, description)| {
                        let selected = kind == chosen;
                        view! { <option value=kind selected=selected>{description}</option> }
                    }).collect_view()}
                </select>
            </div>
            {filter_input("event-account", "account", "Account (username or email)", "text", filter.account)}
            {filter_input("event-actor", "actor", "Done by admin (username or email)", "text", filter.actor)}
            {filter_input("event-ip", "ip", "IP address", "text", filter.ip)}
            {filter_input("event-from", "from", "From (YYYY-MM-DD)", "date", filter.from)}
            {filter_input("event-to", "to", "To (YYYY-MM-DD)", "date", filter.to)}
            <button type="submit">"Filter"</button>
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
    let next = page.next_before.map(|before| {
        view! { <a class="button secondary" href=format!("/admin/events?{}", query(&before.to_string()))>"Older events"</a> }
    });
    let export = format!("/admin/events.csv?{}", query(""));
    let empty = page.events.is_empty();
    view! {
        <EventFilterForm filter=filter.clone() kinds=page.kinds/>
        <p><a href=export download="">"Download these events as CSV"</a></p>
        {empty.then(|| view! { <p role="status">"No event matches."</p> })}
        <ul class="activity" data-testid="events">
            {page.events.into_iter().map(|event| view! { <EventItem event/> }).collect_view()}
        </ul>
        {next}
    }
}

#[component]
fn EventItem(event: AdminEvent) -> impl IntoView {
    let account = event.user_id.map(|user_id| {
        let name = event
            .username
            .clone()
            .unwrap_or_else(|| format!("deleted account {user_id}"));
        view! { " · " <a href=format!("/admin/users/{user_id}")>{name}</a> }
    });
    let actor = event.actor_id.map(|actor_id| {
        let name = event
            .actor
            .clone()
            .unwrap_or_else(|| format!("deleted account {actor_id}"));
        view! { " · by " <a href=format!("/admin/users/{actor_id}")>{name}</a> }
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
    let filter = move || CodeFilter {
        purpose: field("purpose"),
        state: field("state"),
        account: field("account"),
        from: field("from"),
        to: field("to"),
    };
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

/// A labelled text field of a filter form (a plain GET form), filled with the current value.
fn filter_input(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id name=name type=kind maxlength="254" value=value/>
        </div>
    }
}

fn choice(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    options: &'static [(&'static str, &'static str)],
    chosen: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name>
                {options.iter().map(|(value, text)| {
                    let selected = *value == chosen;
                    view! { <option value=*value selected=selected>{*text}</option> }
                }).collect_view()}
            </select>
        </div>
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
    let next = page.next_before.map(|before| {
        view! { <a class="button secondary" href=format!("/admin/codes?{}", query(&before.to_string()))>"Older codes"</a> }
    });
    let export = format!("/admin/codes.csv?{}", query(""));
    let empty = page.codes.is_empty();
    view! {
        <p><a href=export download="">"Download these codes as CSV"</a></p>
        {empty.then(|| view! { <p role="status">"No code matches."</p> })}
        <ul class="activity" data-testid="codes">
            {page.codes.into_iter().map(|code| view! { <CodeItem code/> }).collect_view()}
        </ul>
        {next}
    }
    .into_any()
}

#[component]
fn CodeItem(code: AdminCode) -> impl IntoView {
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
