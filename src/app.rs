use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::pages::{
    AccountPage, AdminClientsPage, AdminCodesPage, AdminEventsPage, AdminGroupPage, AdminGroupsPage,
    AdminInvitationsPage, AdminOverviewPage, AdminUserPage, AdminUsersPage, ConfirmLogoutPage, ConsentPage,
    ContinuePage, DashboardPage, EmailVerifyPage, HomePage, NewPasswordPage, NotFoundPage, RecoverPage,
    RecoverVerifyPage, RegisterPage, SecondStepPage, SecurityPage, SignInPage, TermsPage, UnlockPage,
    VerifyPage,
};

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
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options/>
                <link rel="icon" href="/favicon.svg" r#type="image/svg+xml"/>
                <link rel="stylesheet" href=bundle.css/>
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

    view! {
        <Title formatter=|page: String| format!("{page} · Gatehouse")/>
        <Router>
            <header class="site-header">
                <a href="/" class="brand">"Gatehouse"</a>
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
        </Router>
    }
}
