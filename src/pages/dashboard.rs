use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::{
    api::account::{account, Logout},
    components::ErrorNotice,
    model::{utc_timestamp, AccountView},
};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let account = Resource::new(|| (), |_| account());
    view! {
        <Title text="Dashboard"/>
        <Suspense fallback=|| view! { <p>"Loading your account…"</p> }>
            {move || account.get().map(|result| match result {
                Ok(account) => view! { <AccountDetails account/> }.into_any(),
                Err(_) => view! { <SignInAgain/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn AccountDetails(account: AccountView) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let error = Signal::derive(move || logout.value().get().and_then(Result::err));
    let previous = account
        .previous_login_at
        .map(utc_timestamp)
        .unwrap_or_else(|| "This is your first sign-in.".into());
    view! {
        <h1>"Hello, " {account.username.clone()}</h1>
        <dl class="account">
            <dt>"Username"</dt>
            <dd>{account.username}</dd>
            <dt>"Email"</dt>
            <dd>{account.email}</dd>
            <dt>"Account created"</dt>
            <dd>{utc_timestamp(account.created_at)}</dd>
            <dt>"Previous sign-in"</dt>
            <dd>{previous}</dd>
        </dl>
        <ActionForm action=logout>
            <button type="submit" class="secondary">"Sign out"</button>
        </ActionForm>
        <ErrorNotice error/>
    }
}

/// Reached by client-side navigation without a session (a first visit is redirected by the server).
#[component]
fn SignInAgain() -> impl IntoView {
    let navigate = use_navigate();
    Effect::new(move |_| navigate("/login?next=/dashboard", Default::default()));
    view! { <p>"Please " <a href="/login?next=/dashboard">"sign in"</a> " to see your dashboard."</p> }
}
