use leptos::prelude::*;

use crate::error::AppError;

/// The sentence for an error that does not belong to one field.
#[component]
pub fn ErrorNotice(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|error| {
            view! { <p class="notice error" role="alert">{error.to_string()}</p> }
        })
    }
}
