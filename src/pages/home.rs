use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::QueryNotice;
use crate::i18n::t;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text=t("home-title")/>
        <h1>{t("home-heading")}</h1>
        <QueryNotice notices=vec![("deleted", t("home-deleted"))]/>
        <p>{t("home-intro")}</p>
        <div class="actions">
            <a class="button" href="/register">{t("home-register")}</a>
            <a class="button secondary" href="/login">{t("home-sign-in")}</a>
        </div>
    }
}
