use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::QueryNotice;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Welcome"/>
        <h1>"Welcome to Gatehouse"</h1>
        <QueryNotice notices=&[("deleted", "Your account is deleted. We sent a last mail to confirm it.")]/>
        <p>"Create an account, confirm your email address with a one-time code, and sign in."</p>
        <div class="actions">
            <a class="button" href="/register">"Register"</a>
            <a class="button secondary" href="/login">"Sign in"</a>
        </div>
    }
}
