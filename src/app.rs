use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::pages::{
    AccountPage, AdminCodesPage, AdminEventsPage, AdminOverviewPage, AdminUserPage, AdminUsersPage,
    DashboardPage, EmailVerifyPage, HomePage, LoginPage, NewPasswordPage, NotFoundPage, RecoverPage,
    RecoverVerifyPage, RegisterPage, SecondStepPage, SecurityPage, UnlockPage, VerifyPage,
};

/// The HTML document around the app (server-rendered only).
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let bundle = &crate::server::http::assets::BUNDLE;
    let nonce = leptos::nonce::use_nonce();
    // What Leptos' <HydrationScripts> does, with the bundle's own (hashed, when embedded) names.
    let hydrate = format!(
        "import({js:?}).then(bundle => bundle.default({{ module_or_path: {wasm:?} }}).then(() => bundle.hydrate()));",
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
                <link rel="stylesheet" href=bundle.css/>
                <link rel="modulepreload" href=bundle.js nonce=nonce.clone() crossorigin=""/>
                <link rel="preload" href=bundle.wasm r#as="fetch" r#type="application/wasm" crossorigin=""/>
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
/// data), so it works without JavaScript; the WASM bundle then hydrates it.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects only run in the browser after hydration: tests wait for this marker before clicking.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    view! {
        <Title formatter=|page: String| format!("{page} · Gatehouse")/>
        <Router>
            <header class="site-header">
                <a href="/" class="brand">"Gatehouse"</a>
            </header>
            <main id="main" data-hydrated=move || hydrated.get().then_some("true")>
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/login/verify") view=SecondStepPage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async/>
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
                    <Route path=path!("/admin/events") view=AdminEventsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/codes") view=AdminCodesPage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
