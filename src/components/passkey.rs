use leptos::prelude::*;

use crate::{
    api::passkeys::{begin_passkey, finish_passkey},
    components::FormField,
    validate::Field,
};

/// A passkey ceremony in the browser: the server begins it, the browser's own dialog asks the
/// authenticator, the server finishes it and says where to go. `purpose` is `register`,
/// `sign_in` or `second_step`; registering asks for the passkey's name first. A sign-in goes to
/// `next` (checked on the server). With `autofill`
/// (the sign-in page), the browser also offers the site's passkeys in the username field.
///
/// The button is rendered disabled and comes alive when the island hydrates; being lazy, its
/// code loads only on the pages that show it.
#[island(lazy)]
pub fn PasskeyButton(purpose: String, label: String, next: String, autofill: bool) -> impl IntoView {
    let register = purpose == "register";
    let (ready, set_ready) = signal(false);
    let (busy, set_busy) = signal(false);
    let (failure, set_failure) = signal(None::<String>);
    let (name_message, set_name_message) = signal(None::<String>);
    let name = RwSignal::new(String::new());
    let conditional = StoredValue::new_local(None::<browser::Handle>);
    Effect::new(move |_| set_ready.set(true));

    let run = {
        let (purpose, next) = (purpose.clone(), next.clone());
        move |autofill_signal: Option<browser::Handle>| {
            let (purpose, next) = (purpose.clone(), next.clone());
            leptos::task::spawn_local(async move {
                let silent = autofill_signal.is_some();
                match ceremony(&purpose, &next, &name.get_untracked(), autofill_signal).await {
                    Ok(url) => browser::go(&url),
                    Err(_) if silent => {}
                    Err(Failure::Field(message)) => set_name_message.set(Some(message)),
                    Err(Failure::Sentence(message)) => set_failure.set(Some(message)),
                }
                set_busy.set(false);
            });
        }
    };
    if autofill {
        let run = run.clone();
        Effect::new(move |_| {
            let run = run.clone();
            leptos::task::spawn_local(async move {
                if browser::autofill_available().await {
                    let controller = browser::abort_controller();
                    conditional.set_value(controller.clone());
                    run(controller.as_ref().map(browser::signal_of));
                }
            });
        });
    }
    let start = move |_| {
        if let Some(controller) = conditional.get_value() {
            browser::abort(&controller);
        }
        set_failure.set(None);
        set_name_message.set(None);
        set_busy.set(true);
        run(None);
    };
    view! {
        <div class="passkey">
            {register.then(|| view! {
                <FormField label="Name of the passkey" name="passkey_name" id="passkey-name" maxlength="60"
                    hint="So you can tell your passkeys apart, such as \"Work laptop\"."
                    value=name message=Signal::derive(move || name_message.get())/>
            })}
            <button type="button" class="secondary" disabled=move || !ready.get() || busy.get() on:click=start>
                {label}
            </button>
            {move || failure.get().map(|message| view! { <p class="notice error" role="alert">{message}</p> })}
        </div>
    }
}

enum Failure {
    Field(String),
    Sentence(String),
}

async fn ceremony(
    purpose: &str,
    next: &str,
    name: &str,
    autofill_signal: Option<browser::Handle>,
) -> Result<String, Failure> {
    let sentence = |error: crate::error::AppError| match error.field_message(Field::PasskeyName) {
        Some(message) => Failure::Field(message),
        None => Failure::Sentence(error.to_string()),
    };
    let begun = begin_passkey(purpose.to_string()).await.map_err(sentence)?;
    let answer = browser::ceremony(purpose == "register", &begun.options, autofill_signal)
        .await
        .map_err(|failure| Failure::Sentence(failure.to_string()))?;
    finish_passkey(
        purpose.to_string(),
        begun.token,
        answer,
        name.to_string(),
        next.to_string(),
    )
    .await
    .map_err(sentence)
}

/// `navigator.credentials` and its JSON forms, through `js_sys` alone: the few calls do not need
/// `web-sys`' bindings, and so add next to nothing to the bundle every page loads.
#[cfg(feature = "hydrate")]
mod browser {
    use js_sys::{Array, Function, Object, Promise, Reflect, JSON};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    /// A JavaScript object the island keeps (the autofill request's abort controller).
    pub type Handle = JsValue;

    pub enum Refusal {
        Cancelled,
        AlreadyRegistered,
        Unsupported,
    }

    impl std::fmt::Display for Refusal {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(match self {
                Refusal::Cancelled => {
                    "The passkey request was cancelled, or it timed out. Try again, or use your password."
                }
                Refusal::AlreadyRegistered => "This authenticator already holds a passkey for your account.",
                Refusal::Unsupported => "This browser cannot use passkeys here. Use your password instead.",
            })
        }
    }

    fn get(target: &JsValue, key: &str) -> Result<JsValue, JsValue> {
        Reflect::get(target, &JsValue::from_str(key))
    }

    fn call(target: &JsValue, method: &str, arguments: &[&JsValue]) -> Result<JsValue, JsValue> {
        let function: Function = get(target, method)?.dyn_into()?;
        function.apply(target, &arguments.iter().copied().collect::<Array>())
    }

    pub async fn ceremony(register: bool, options: &str, signal: Option<JsValue>) -> Result<String, Refusal> {
        let answer = async {
            let global = js_sys::global();
            let class = get(&global, "PublicKeyCredential")?;
            let public_key = get(&JSON::parse(options)?, "publicKey")?;
            let parse = match register {
                true => "parseCreationOptionsFromJSON",
                false => "parseRequestOptionsFromJSON",
            };
            let request = Object::new();
            Reflect::set(
                &request,
                &"publicKey".into(),
                &call(&class, parse, &[&public_key])?,
            )?;
            if let Some(signal) = signal {
                Reflect::set(&request, &"mediation".into(), &"conditional".into())?;
                Reflect::set(&request, &"signal".into(), &signal)?;
            }
            let credentials = get(&get(&global, "navigator")?, "credentials")?;
            let method = if register { "create" } else { "get" };
            let promise: Promise = call(&credentials, method, &[&request])?.dyn_into()?;
            let credential = JsFuture::from(promise).await?;
            JSON::stringify(&call(&credential, "toJSON", &[])?)?
                .as_string()
                .ok_or(JsValue::NULL)
        };
        answer.await.map_err(|error| {
            match get(&error, "name")
                .ok()
                .and_then(|name| name.as_string())
                .as_deref()
            {
                Some("NotAllowedError" | "AbortError") => Refusal::Cancelled,
                Some("InvalidStateError") => Refusal::AlreadyRegistered,
                _ => Refusal::Unsupported,
            }
        })
    }

    /// Whether the browser offers passkeys in the username field's autofill.
    pub async fn autofill_available() -> bool {
        let check = get(&js_sys::global(), "PublicKeyCredential")
            .and_then(|class| call(&class, "isConditionalMediationAvailable", &[]))
            .and_then(|promise| promise.dyn_into::<Promise>());
        match check {
            Ok(promise) => JsFuture::from(promise)
                .await
                .is_ok_and(|available| available.is_truthy()),
            Err(_) => false,
        }
    }

    pub fn abort_controller() -> Option<JsValue> {
        let class: Function = get(&js_sys::global(), "AbortController").ok()?.dyn_into().ok()?;
        Reflect::construct(&class, &Array::new()).ok()
    }

    pub fn signal_of(controller: &JsValue) -> JsValue {
        get(controller, "signal").unwrap_or(JsValue::UNDEFINED)
    }

    pub fn abort(controller: &JsValue) {
        let _ = call(controller, "abort", &[]);
    }

    pub fn go(url: &str) {
        if let Ok(location) = get(&js_sys::global(), "location") {
            let _ = call(&location, "assign", &[&JsValue::from_str(url)]);
        }
    }
}

/// On the server the island only renders; its ceremony runs in the browser.
#[cfg(not(feature = "hydrate"))]
mod browser {
    #[derive(Clone)]
    pub struct Handle;

    pub struct Refusal;

    impl std::fmt::Display for Refusal {
        fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            Ok(())
        }
    }

    pub async fn ceremony(_: bool, _: &str, _: Option<Handle>) -> Result<String, Refusal> {
        Err(Refusal)
    }

    pub async fn autofill_available() -> bool {
        false
    }

    pub fn abort_controller() -> Option<Handle> {
        None
    }

    pub fn signal_of(_: &Handle) -> Handle {
        Handle
    }

    pub fn abort(_: &Handle) {}

    pub fn go(_: &str) {}
}
