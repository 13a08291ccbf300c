//! Gatehouse: a self-hostable registration portal.
//!
//! The crate compiles twice: with `ssr` into the server binary, with `hydrate` into the WASM
//! bundle that makes the server-rendered pages interactive. Everything outside `server` is shared.
//! Pages render on the server only; the parts of them that run in the browser are islands
//! (`#[island(lazy)]`), each in a WASM chunk of its own that a page loads only when it has one.

/// The route table, the HTML shell and the root component.
pub mod app;

/// Server functions: the portal's whole HTTP API (`/api/*`). Thin: each calls a `server::flows` fn.
pub mod api;

/// Reusable view pieces (form fields, notices, the countdown).
pub mod components;

/// The user-facing error type that crosses the wire, with its status codes and sentences.
pub mod error;

/// Languages: which one a page or mail speaks, and its words (catalogues read by the server only).
pub mod i18n;

/// Types sent between server and browser.
pub mod model;

/// One component per route.
pub mod pages;

/// Field rules, shared: the browser runs them as the user types, the server is the authority.
pub mod validate;

/// The proof-of-work puzzle that replaces a CAPTCHA: solved in the browser, checked on the server.
pub mod pow;

/// Server-only code: configuration, database, mail, codes, sessions, flows, HTTP plumbing.
#[cfg(feature = "ssr")]
pub mod server;

/// Prepares the browser for the page's islands; the shell's script then hydrates each one.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // There is no client-side router: a server function's redirect loads the next page.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location| {
        let _ = leptos::prelude::window().location().set_href(location);
    });
    leptos::mount::hydrate_islands();
}
