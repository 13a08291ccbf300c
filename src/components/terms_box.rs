use leptos::prelude::*;

/// "I accept the terms" with a link to them, and the field's message (a form sends "on" when it
/// is ticked).
#[component]
pub fn TermsBox(
    /// Where the terms are.
    url: String,
    #[prop(into)] message: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="field checkbox" class:invalid=move || message.get().is_some()>
            <input id="accept-terms" name="accept_terms" type="checkbox" required
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby="accept-terms-message"/>
            <label for="accept-terms">
                "I accept the " <a href=url target="_blank" rel="noopener">"terms (opens in a new tab)"</a>
            </label>
        </div>
        <p class="field-message" id="accept-terms-message" aria-live="polite">{move || message.get()}</p>
    }
}
