use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::registration::{fetch_terms, AcceptTerms},
    components::{split_errors, ErrorNotice, TermsBox},
    i18n::{t, t_with},
};

/// `/terms`: a signed-in user whose accepted terms are not the ones in force accepts them here
/// before the dashboard or an app behind forward-auth; `next` is where they were going.
#[component]
pub fn TermsPage() -> impl IntoView {
    let terms = Resource::new(|| (), |_| fetch_terms());
    let next = use_query_map().read_untracked().get("next").unwrap_or_default();
    let accept = ServerAction::<AcceptTerms>::new();
    let (_, general) = split_errors(Signal::derive(move || accept.value().get().and_then(Result::err)));
    view! {
        <Title text=t("terms-title")/>
        <h1>{t("terms-title")}</h1>
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let next = next.clone();
                terms.get().map(move |terms| match terms {
                Ok(Some(terms)) => view! {
                    <p>{t_with("terms-version", &[("version", terms.version.into())])}</p>
                    <ActionForm action=accept attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="next" value=next/>
                        <TermsBox url=terms.url/>
                        <ErrorNotice error=general/>
                        <button type="submit">{t("terms-accept")}</button>
                    </ActionForm>
                }
                .into_any(),
                Ok(None) => view! {
                    <p>{t("terms-none")}</p>
                    <p><A href="/dashboard">{t("terms-dashboard")}</A></p>
                }
                .into_any(),
                Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                })
            }}
        </Suspense>
    }
}
