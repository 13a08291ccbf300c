use leptos::prelude::*;

use crate::{api::registration::fetch_password_policy, i18n::t_with, validate::PASSWORD_MIN_DEFAULT};

/// A labelled input with its hint and its live message (announced to screen readers).
#[component]
pub fn FormField(
    #[prop(into)] label: String,
    name: &'static str,
    /// The element id, when two fields of one page share a name; `name` otherwise.
    #[prop(optional, into)]
    id: Option<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<&'static str>,
    #[prop(optional, into)] hint: Option<String>,
    /// The message to show under the field, if any (a broken rule, or the server's answer).
    #[prop(into)]
    message: Signal<Option<String>>,
    /// Receives what the user types, for checks as they type.
    #[prop(optional)]
    value: Option<RwSignal<String>>,
    /// What the field holds when the page loads (an app's `login_hint`).
    #[prop(optional)]
    initial: Option<String>,
    /// Shown but not changeable (an invitation's address).
    #[prop(optional)]
    readonly: bool,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| name.to_string());
    let hint_id = format!("{id}-hint");
    let message_id = format!("{id}-message");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {message_id}"),
        None => message_id.clone(),
    };
    view! {
        <div class="field" class:invalid=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <input
                id=id
                name=name
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                maxlength=maxlength
                value=initial
                readonly=readonly
                required
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=described_by
                on:input=move |event| {
                    if let Some(value) = value {
                        value.set(event_target_value(&event));
                    }
                }
            />
            <p class="field-message" id=message_id aria-live="polite">
                {move || message.get()}
            </p>
        </div>
    }
}

/// The hint under a new-password field, for the server's minimum once it has answered (the shipped
/// one until then).
pub fn new_password_hint() -> impl Fn() -> String + Copy {
    let policy = Resource::new(|| (), |_| fetch_password_policy());
    move || {
        password_hint(
            policy
                .get()
                .and_then(Result::ok)
                .map_or(PASSWORD_MIN_DEFAULT, |policy| policy.min_length),
        )
    }
}

/// The hint under a new-password field.
pub fn password_hint(min_length: usize) -> String {
    t_with("password-hint", &[("min", min_length.into())])
}
