use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::{
        account::{account, fetch_recent_activity, fetch_sessions, EndOtherSessions, EndSession},
        sign_in::Logout,
    },
    components::ErrorNotice,
    i18n::date_time,
    model::{AccountView, ActivityEntry, SessionView},
};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let account = Resource::new(|| (), |_| account());
    let query = use_query_map();
    let recovery_codes_left = move || {
        query
            .read()
            .get("recovery_codes_left")
            .and_then(|left| left.parse::<u32>().ok())
    };
    view! {
        <Title text="Dashboard"/>
        {move || recovery_codes_left().map(|left| view! {
            <p class="notice" role="status">
                "You signed in with a recovery code; it will not work again. " {left} " of your recovery codes are left. "
                <a href="/account/security">"Make a new set"</a>
            </p>
        })}
        <Suspense fallback=|| view! { <p>"Loading your account…"</p> }>
            {move || account.get().map(|result| match result {
                Ok(account) => view! { <AccountDetails account/> <Sessions/> <RecentActivity/> }.into_any(),
                // The server sends a visit without a session to sign in first; this is a session that
                // ended while the page was being made.
                Err(_) => view! {
                    <p>"Please " <a href="/login?next=/dashboard">"sign in"</a> " to see your dashboard."</p>
                }
                .into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn AccountDetails(account: AccountView) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let error = Signal::derive(move || logout.value().get().and_then(Result::err));
    let groups = match account.groups.is_empty() {
        true => "None".to_string(),
        false => account.groups.join(", "),
    };
    let previous = account
        .previous_login_at
        .map(date_time)
        .unwrap_or_else(|| "This is your first sign-in.".into());
    view! {
        <h1>"Hello, " {account.username.clone()}</h1>
        <dl class="account">
            <dt>"Username"</dt>
            <dd>{account.username}</dd>
            <dt>"Email"</dt>
            <dd>{account.email}</dd>
            <dt>"Account created"</dt>
            <dd>{date_time(account.created_at)}</dd>
            <dt>"Previous sign-in"</dt>
            <dd>{previous}</dd>
            <dt>"Two-factor sign-in"</dt>
            <dd>{if account.two_factor_on { "On" } else { "Off" }}</dd>
            <dt>"Groups"</dt>
            <dd data-testid="groups">{groups}</dd>
        </dl>
        {(!account.two_factor_on).then(|| view! {
            <p class="notice" role="status">
                "Protect your account with a second step at sign-in: a code from an authenticator app. "
                <a href="/account/security">"Turn on two-factor sign-in"</a>
            </p>
        })}
        <div class="actions">
            <a class="button secondary" href="/account">"Account settings"</a>
            <ActionForm action=logout>
                <button type="submit" class="secondary">"Sign out"</button>
            </ActionForm>
        </div>
        <ErrorNotice error/>
    }
}

/// Where the account is signed in; any other session can be ended from here.
#[component]
fn Sessions() -> impl IntoView {
    let end_one = ServerAction::<EndSession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    let sessions = Resource::new(|| (), |_| fetch_sessions());
    let error = Signal::derive(move || {
        end_one
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| end_others.value().get().and_then(Result::err))
    });
    view! {
        <section aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">"Where you are signed in"</h2>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || sessions.get().map(|result| match result {
                    Ok(list) => {
                        let others = list.iter().filter(|session| !session.current).count();
                        view! {
                            <ul class="sessions">
                                {list.into_iter().map(|session| view! { <SessionItem session end_one/> }).collect_view()}
                            </ul>
                            <Show when=move || { others > 0 }>
                                <ActionForm action=end_others>
                                    <button type="submit" class="secondary">"Sign out everywhere else"</button>
                                </ActionForm>
                            </Show>
                        }.into_any()
                    }
                    Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                })}
            </Transition>
            <ErrorNotice error/>
        </section>
    }
}

#[component]
fn SessionItem(session: SessionView, end_one: ServerAction<EndSession>) -> impl IntoView {
    let label = format!("Sign out {} ({})", session.device, session.ip);
    view! {
        <li data-testid="session">
            <strong>{session.device}</strong>
            {session.current.then(|| view! { " " <span class="badge">"this device"</span> })}
            <br/>
            <span class="muted">
                {session.ip} " · signed in " {date_time(session.signed_in_at)}
                " · last seen " {date_time(session.last_seen_at)}
            </span>
            {(!session.current).then(|| view! {
                <ActionForm action=end_one attr:class="inline">
                    <input type="hidden" name="id" value=session.id.to_string()/>
                    <button type="submit" class="link" aria-label=label>"Sign out"</button>
                </ActionForm>
            })}
        </li>
    }
}

/// The user's own security events: sign-ins, failures, lockouts, sessions ended.
#[component]
fn RecentActivity() -> impl IntoView {
    let activity = Resource::new(|| (), |_| fetch_recent_activity());
    view! {
        <section aria-labelledby="activity-heading">
            <h2 id="activity-heading">"Recent activity"</h2>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || activity.get().map(|result| match result {
                    Ok(entries) => view! {
                        <ul class="activity">
                            {entries.into_iter().map(|entry| view! { <ActivityItem entry/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ActivityItem(entry: ActivityEntry) -> impl IntoView {
    let source = [entry.device, entry.ip]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li data-testid="activity" class=format!("outcome-{}", entry.outcome)>
            {entry.description}
            <br/>
            <span class="muted">{date_time(entry.at)} {(!source.is_empty()).then(|| format!(" · {source}"))}</span>
        </li>
    }
}
