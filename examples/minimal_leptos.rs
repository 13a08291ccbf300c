//! A ceiling for `scripts/bench.sh`: the smallest server-rendered Leptos page (same Leptos version,
//! a router and a sign-in form), so what `GET /login` costs beyond Leptos itself shows.
//! `cargo run --release --example minimal_leptos --features ssr -- 127.0.0.1:3961`

use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

fn shell(_options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <title>"Sign in"</title>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <main>
                <Routes fallback=|| "Not found">
                    <Route path=path!("/") view=SignIn/>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn SignIn() -> impl IntoView {
    view! {
        <h1>"Sign in"</h1>
        <form method="post" action="/">
            <label>"Username or email address" <input name="identifier" autocomplete="username"/></label>
            <label>"Password" <input name="password" type="password" autocomplete="current-password"/></label>
            <button type="submit">"Sign in"</button>
        </form>
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:3961".into());
    let options = LeptosOptions::builder().output_name("minimal").build();
    let app = axum::Router::new()
        .leptos_routes(&options, generate_route_list(App), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .with_state(options);
    let listener = tokio::net::TcpListener::bind(&address).await?;
    axum::serve(listener, app).await
}
