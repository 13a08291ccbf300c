use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{error::AppError, validate::Field};

/// The sentence for an error that does not belong to one field.
#[component]
pub fn ErrorNotice(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|error| {
            view! { <p class="notice error" role="alert">{error.to_string()}</p> }
        })
    }
}

/// The confirmation a page shows after a redirect that named it in the query (`/login?verified=1`):
/// the sentence of the first of `notices` whose parameter is present.
#[component]
pub fn QueryNotice(notices: Vec<(&'static str, String)>) -> impl IntoView {
    let query = use_query_map();
    let query = query.read_untracked();
    let text = notices
        .into_iter()
        .find(|(parameter, _)| query.get(parameter).is_some())
        .map(|(_, text)| text);
    text.map(|text| view! { <p class="notice success" role="status">{text}</p> })
}

/// A form's error, split into each field's sentence and the one for the whole form.
pub fn split_errors(
    error: Signal<Option<AppError>>,
) -> (
    impl Fn(Field) -> Signal<Option<String>> + Copy,
    Signal<Option<AppError>>,
) {
    let field = move |field| Signal::derive(move || error.get().and_then(|error| error.field_message(field)));
    let general = Signal::derive(move || {
        error
            .get()
            .filter(|error| !matches!(error, AppError::Validation(_)))
    });
    (field, general)
}

/// The error of a form with a [`ProofOfWork`](super::ProofOfWork): its sentence for the whole form,
/// leaving field messages to their fields and proof-of-work requests to their own notice.
pub fn error_beside_proof_of_work(error: Signal<Option<AppError>>) -> Signal<Option<AppError>> {
    Signal::derive(move || {
        error.get().filter(|error| {
            !matches!(
                error,
                AppError::Validation(_) | AppError::ProofOfWorkRequired { .. }
            )
        })
    })
}

/// Lets an island's actions start with the error that a form sent without JavaScript came back
/// with (`?__path=…&__err=…`). The server's router provides it while rendering; in the browser
/// islands have no router, so it is read here, and the island hydrates showing what the server
/// showed.
pub fn use_form_error_from_url() {
    #[cfg(feature = "hydrate")]
    {
        let search = window().location().search().unwrap_or_default();
        let (mut path, mut error) = (None, None);
        for (key, value) in form_urlencoded::parse(search.trim_start_matches('?').as_bytes()) {
            match &*key {
                "__path" => path = Some(value.into_owned()),
                "__err" => error = Some(value.into_owned()),
                _ => {}
            }
        }
        if let (Some(path), Some(error)) = (path, error) {
            provide_context(leptos::server::ServerActionError::new(&path, &error));
        }
    }
}
