use leptos::prelude::*;
use leptos_meta::Title;

use crate::{components::CodeEntry, model::CodePurpose};

/// The registration's code.
#[component]
pub fn VerifyPage() -> impl IntoView {
    view! {
        <Title text="Verify your email"/>
        <h1>"Check your email"</h1>
        <CodeEntry purpose=CodePurpose::Registration/>
    }
}

/// The code that confirms a signed-in user's new address.
#[component]
pub fn EmailVerifyPage() -> impl IntoView {
    view! {
        <Title text="Confirm your new address"/>
        <h1>"Confirm your new address"</h1>
        <CodeEntry purpose=CodePurpose::EmailChange/>
        <p><a href="/account">"Back to your account"</a></p>
    }
}
