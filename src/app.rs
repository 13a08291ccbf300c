use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::i18n::{self, t, t_with, Language};
use crate::pages::{
    AccountPage, AdminClientsPage, AdminCodesPage, AdminEventsPage, AdminGroupPage, AdminGroupsPage,
    AdminInvitationsPage, AdminOverviewPage, AdminUserPage, AdminUsersPage, ConfirmLogoutPage, ConsentPage,
    ContinuePage, DashboardPage, EmailVerifyPage, HomePage, NewPasswordPage, NotFoundPage, RecoverPage,
    RecoverVerifyPage, RegisterPage, SecondStepPage, SecurityPage, SignInPage, TermsPage, UnlockPage,
    VerifyPage,
};

/// The site's icon, inline: a request of its own would cost every first visit more in headers
/// than the picture weighs.
#[cfg(feature = "ssr")]
const FAVICON: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E\
%3Crect width='32' height='32' rx='6' fill='%231f4e79'/%3E%3Cpath d='M8 26V13l8-6 8 6v13h-5v-7h-6v7z' fill='%23fff'/%3E%3C/svg%3E";

/// The HTML document around the app (server-rendered only).
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let bundle = &crate::server::http::assets::BUNDLE;
    let nonce = leptos::nonce::use_nonce();
    // Islands mode: only islands hydrate, so the rest of the page carries no hydration data.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    // A page without islands loads no WASM. Otherwise: the main module, then each island, which
    // fetches its own chunk. Tests wait for `data-hydrated` before they click.
    let hydrate = format!(
        "const islands = document.querySelectorAll('leptos-island');\
         const hydrated = () => {{ document.getElementById('main').dataset.hydrated = 'true'; }};\
         if (islands.length === 0) hydrated(); else import({js:?}).then(async bundle => {{\
           await bundle.default({{ module_or_path: {wasm:?} }});\
           bundle.hydrate();\
           for (const island of islands) await bundle[island.dataset.component](island);\
           hydrated();\
         }});",
        js = bundle.js,
        wasm = bundle.wasm,
    );
    let accent = use_context::<crate::server::state::AppState>()
        .and_then(|state| state.accent_stylesheet.as_ref().map(|sheet| sheet.url.clone()))
        .map(|href| view! { <link rel="stylesheet" href=href/> });
    view! {
        <!DOCTYPE html>
        <html lang=i18n::language().code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="unreachable" content=i18n::t("error-unreachable")/>
                <AutoReload options/>
                <link rel="icon" href=FAVICON/>
                <link rel="stylesheet" href=bundle.css/>
                {accent}
                <script type="module" nonce=nonce>{hydrate}</script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The route table. Every page renders completely on the server (`SsrMode::Async` waits for its
/// data), so it works without JavaScript; the WASM bundle then hydrates its islands.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let look = site_look();
    // The catalogue's pattern with a marker where each page's own title goes.
    let title = t_with("page-title", &[("page", "\u{0}".into())]);
    let logo = look.logo.map(|src| view! { <img src=src alt="" height="32"/> });
    let support = look.support.map(|href| {
        view! {
            <footer class="site-footer">
                <a href=href>{t("support-link")}</a>
            </footer>
        }
    });

    view! {
        <Title formatter=move |page: String| title.replace('\u{0}', &page)/>
        <Router>
            <header class="site-header">
                <a href="/" class="brand">{logo}{look.name}</a>
                <LanguageSwitch/>
            </header>
            <main id="main">
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/login/verify") view=SecondStepPage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/terms") view=TermsPage ssr=SsrMode::Async/>
                    <Route path=path!("/unlock/:token") view=UnlockPage ssr=SsrMode::Async/>
                    <Route path=path!("/recover") view=RecoverPage ssr=SsrMode::Async/>
                    <Route path=path!("/recover/verify") view=RecoverVerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/recover/password") view=NewPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/email/verify") view=EmailVerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/security") view=SecurityPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=AdminOverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view=AdminUsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users/:id") view=AdminUserPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/groups") view=AdminGroupsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/groups/:name") view=AdminGroupPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/invitations") view=AdminInvitationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/clients") view=AdminClientsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/events") view=AdminEventsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/codes") view=AdminCodesPage ssr=SsrMode::Async/>
                    <Route path=path!("/oidc/consent") view=ConsentPage ssr=SsrMode::Async/>
                    <Route path=path!("/oidc/continue") view=ContinuePage ssr=SsrMode::Async/>
                    <Route path=path!("/oidc/logout/confirm") view=ConfirmLogoutPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            {support}
        </Router>
    }
}

/// One button per other language; a plain form, so it works without JavaScript.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let current = i18n::language();
    let buttons = Language::ALL
        .into_iter()
        .filter(|language| *language != current)
        .map(|language| {
            view! {
                <button type="submit" name="language" value=language.code() lang=language.code()>
                    {language.own_name()}
                </button>
            }
        })
        .collect_view();
    view! {
        <form method="post" action="/language" class="language-switch" aria-label=t("language-switch")>
            <input type="hidden" name="next" value=current_page()/>
            {buttons}
        </form>
    }
}

/// What the settings say the site looks like.
#[derive(Default)]
struct SiteLook {
    name: String,
    logo: Option<String>,
    support: Option<String>,
}

fn site_look() -> SiteLook {
    #[cfg(feature = "ssr")]
    if let Some(state) = use_context::<crate::server::state::AppState>() {
        let settings = &state.settings;
        return SiteLook {
            name: settings.site_name.0.clone(),
            logo: settings.logo_file.as_ref().map(|logo| logo.url.clone()),
            support: settings.support_url.as_ref().map(|url| url.0.clone()),
        };
    }
    SiteLook::default()
}

/// The path and query of the page being rendered, for the language switch to come back to.
fn current_page() -> String {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<axum::http::request::Parts>() {
        return parts
            .uri
            .path_and_query()
            .map(|path| path.as_str().to_string())
            .unwrap_or_default();
    }
    String::new()
}
