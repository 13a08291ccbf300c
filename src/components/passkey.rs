use leptos::prelude::*;

use crate::{components::FormField, i18n::t};

/// A passkey button: `purpose` is `register` (which asks for the passkey's name first),
/// `sign_in` or `second_step`; a sign-in goes to `next` (checked on the server). With `autofill`
/// (the sign-in page), the browser also offers the site's passkeys in the username field.
///
/// The ceremony itself (`/passkeys.js`) is a small script of its own, loaded only by the pages
/// that show this button: it only moves data between the server's two calls and the browser's
/// passkey dialog, and kept out of the WASM bundle, it costs the first visit of every other page
/// nothing. The button is rendered disabled, and the script enables it.
#[component]
pub fn PasskeyButton(
    purpose: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] next: String,
    #[prop(optional)] autofill: bool,
) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    view! {
        <div class="passkey" data-passkey=purpose data-next=next data-autofill=autofill.then_some("true")
            data-cancelled=t("passkeys-cancelled") data-held=t("passkeys-held") data-unsupported=t("passkeys-unsupported")
            data-failed=t("passkeys-failed")>
            {(purpose == "register").then(|| view! {
                <FormField label=t("passkeys-name") name="passkey_name" id="passkey-name" maxlength="60"
                    hint=t("passkeys-name-hint")
                    message=Signal::derive(|| None::<String>)/>
            })}
            <button type="button" class="secondary" disabled>{label}</button>
            <p class="notice error" role="alert" hidden></p>
        </div>
        <script type="module" src="/passkeys.js" nonce=nonce></script>
    }
}
