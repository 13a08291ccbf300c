use leptos::prelude::*;

use crate::i18n::t;

/// "I accept the terms" with a link to them (a form sends "on" when it is ticked). `form`: the id
/// of the form it belongs to, when it stands outside it.
#[component]
pub fn TermsBox(
    /// Where the terms are.
    url: String,
    #[prop(optional)] form: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="field checkbox">
            <input id="accept-terms" name="accept_terms" type="checkbox" form=form required/>
            <label for="accept-terms">
                {t("terms-box-accept")} " " <a href=url target="_blank" rel="noopener">{t("terms-box-link")}</a>
            </label>
        </div>
    }
}
