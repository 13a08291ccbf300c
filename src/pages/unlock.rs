use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{api::sign_in::Unlock, components::ErrorNotice, i18n::t};

/// Where the link in the "your account was locked" mail leads. Opening it changes nothing (mail
/// scanners open links); the button does.
#[component]
pub fn UnlockPage() -> impl IntoView {
    let unlock = ServerAction::<Unlock>::new();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let error = Signal::derive(move || unlock.value().get().and_then(Result::err));
    view! {
        <Title text=t("unlock-title")/>
        <h1>{t("unlock-title")}</h1>
        <p>{t("unlock-text")}</p>
        <ActionForm action=unlock attr:class="form">
            <input type="hidden" name="token" value=token/>
            <ErrorNotice error/>
            <button type="submit">{t("unlock-button")}</button>
        </ActionForm>
    }
}
