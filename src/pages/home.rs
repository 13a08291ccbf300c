use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let deleted = move || query.read().get("deleted").is_some();
    view! {
        <Title text="Welcome"/>
        <h1>"Welcome to Gatehouse"</h1>
        <Show when=deleted>
            <p class="notice success" role="status">"Your account is deleted. We sent a last mail to confirm it."</p>
        </Show>
        <p>"Create an account, confirm your email address with a one-time code, and sign in."</p>
        <div class="actions">
            <a class="button" href="/register">"Register"</a>
            <a class="button secondary" href="/login">"Sign in"</a>
        </div>
    }
}
