use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    components::{CodeEntry, CodeWords},
    i18n::t,
    model::CodePurpose,
};

/// The registration's code.
#[component]
pub fn VerifyPage() -> impl IntoView {
    view! {
        <Title text=t("verify-title")/>
        <h1>{t("verify-heading")}</h1>
        <CodeEntry purpose=CodePurpose::Registration words=CodeWords::new()/>
    }
}

/// The code that confirms a signed-in user's new address.
#[component]
pub fn EmailVerifyPage() -> impl IntoView {
    view! {
        <Title text=t("email-verify-title")/>
        <h1>{t("email-verify-title")}</h1>
        <CodeEntry purpose=CodePurpose::EmailChange words=CodeWords::new()/>
        <p><a href="/account">{t("back-to-account")}</a></p>
    }
}
