//! The HTTP side: the router and its middleware, the accept loop, and what a server function is
//! handed about its request.

pub mod assets;
pub mod form_errors;
pub mod forward_auth;
pub mod guard;
pub mod headers;
mod identify_client;
mod language;
pub mod listener;
pub mod metrics;
pub mod oidc;
pub mod refusal;

use std::{collections::HashMap, sync::OnceLock};

use axum::{
    extract::{Path, Query, Request, State},
    http::{header, StatusCode, Uri},
    middleware::{self, Next},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Extension, Json, Router,
};
use leptos::prelude::use_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_http::{
    compression::{predicate::SizeAbove, CompressionLayer, Predicate},
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};
use tower_sessions::{cookie::SameSite, Expiry, Session, SessionManagerLayer};

use super::{auth::session::SignedIn, branding, client::Client, error, state::AppState};
use crate::{
    app::{shell, App},
    error::AppError,
    i18n::catalogue::choose,
};

/// Forms are a few fields; nothing legitimate comes close.
const MAX_REQUEST_BODY_BYTES: usize = 16 * 1024;

pub fn router(state: AppState) -> Router {
    let settings = &state.settings;
    let https = settings.serves_https();
    // Gatehouse decides the idle and absolute timeouts itself (`flows::sessions`, on the injected
    // clock); the record behind the cookie only has to outlive a sign-in. Its own expiry moves only
    // when the session changes, so it is set to the absolute lifetime, never to the idle limit.
    let record_lifetime =
        time::Duration::try_from(settings.session_lifetime_secs.duration()).unwrap_or(time::Duration::DAY);
    let sessions = SessionManagerLayer::new(state.sessions.clone())
        // `__Host-` binds the cookie to this exact origin; browsers accept it only when Secure.
        .with_name(if https { "__Host-gatehouse" } else { "gatehouse" })
        .with_secure(https)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(record_lifetime));
    let request_timeout = settings.http_request_timeout_secs.duration();
    let options = state.leptos_options.clone();
    let provider = match settings.oidc_provider {
        true => oidc::routes(),
        false => Router::new(),
    };
    let portal = Router::<AppState>::new()
        .merge(assets::routes())
        .merge(provider)
        .route("/brand/{file}", get(branding::serve))
        .route("/language", post(language::switch_language))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readiness))
        .route("/account/export", get(account_export))
        .route("/account/security/recovery-codes.txt", get(recovery_codes_file))
        .route("/recover/continue/{flow_token}", get(take_up_recovery))
        .route("/admin/users.csv", get(console_csv))
        .route("/admin/events.csv", get(console_csv))
        .route("/admin/codes.csv", get(console_csv))
        .leptos_routes_with_context(&state, app_routes(), headers::provide_csp_nonce, move || {
            shell(options.clone())
        })
        .route_layer(middleware::from_fn(metrics::label_route))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            headers::provide_csp_nonce,
            shell,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guard::resolve_viewer,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            forward_auth::keep_cookie,
        ))
        .layer(sessions)
        .layer(middleware::from_fn(guard::api_error_status))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            form_errors::seal_form_errors,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guard::reject_cross_site,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            identify_client::identify_client,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), explain_too_large))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            headers::response_headers,
        ))
        .layer(middleware::map_response(buffer_pages))
        .layer(compress_generated_text())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .layer(middleware::from_fn(metrics::count_request))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state.clone());
    forward_auth::routes(state).merge(portal)
}

/// Pages, JSON answers and CSV exports of 4 KiB or more are gzipped as they leave (the site's
/// files were compressed at build time and carry their own `Content-Encoding`, which this leaves
/// alone). Smaller ones go as they are: they fit in the first round trip either way, and
/// deflating a 2 KB page halved the pages a core serves (docs/benchmarks.md).
fn compress_generated_text() -> CompressionLayer<impl Predicate> {
    let generated_text = |_: StatusCode,
                          _: axum::http::Version,
                          headers: &axum::http::HeaderMap,
                          _: &axum::http::Extensions| {
        content_type_is(headers, &["text/html", "application/json", "text/csv"])
    };
    CompressionLayer::new()
        .no_br()
        .no_deflate()
        .no_zstd()
        .compress_when(SizeAbove::new(COMPRESS_FROM_BYTES).and(generated_text))
}

const COMPRESS_FROM_BYTES: u16 = 4 * 1024;
/// Far above any page; a render that grows past it is a bug, answered with a 500.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

fn content_type_is(headers: &axum::http::HeaderMap, kinds: &[&str]) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| kinds.iter().any(|kind| value.starts_with(kind)))
}

/// Every page is rendered whole before its first byte leaves (`SsrMode::Async`), so collecting it
/// costs nothing and gives it a length: the compression layer needs one to leave small pages alone.
async fn buffer_pages(response: Response) -> Response {
    let is_page = content_type_is(response.headers(), &["text/html"]);
    if !is_page || axum::body::HttpBody::size_hint(response.body()).exact().is_some() {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(page) => Response::from_parts(parts, axum::body::Body::from(page)),
        Err(cause) => {
            tracing::error!(%cause, "a page could not be rendered whole");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Every log line of a request carries its id (also sent back as `X-Request-Id`). Never the path:
/// unlock and reset links carry their tokens there.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!("request", id, method = %request.method())
}

/// The body limit answers 413 with a terse technical phrase; people get a sentence, in the
/// language their browser asks for (the account is not known out here).
async fn explain_too_large(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let language = choose(None, request.headers(), state.settings.default_language);
    let response = next.run(request).await;
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    let refusal = refusal::message_response(StatusCode::PAYLOAD_TOO_LARGE, "refusal-too-large");
    refusal::say(refusal, language, &state.settings.site_name.0)
}

/// Ready to serve: the database answers (its migrations were applied at start-up, or the server
/// would not have started), and no mail has waited for delivery longer than `outbox_stuck_secs`.
async fn readiness(State(state): State<AppState>) -> Response {
    match super::flows::readiness(&state).await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(reason) => {
            tracing::warn!(%reason, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {reason}")).into_response()
        }
    }
}

/// The link in a password-reset mail an admin sent: this browser takes up the flow and enters
/// the code; a flow that is gone sends it to start again.
async fn take_up_recovery(
    State(state): State<AppState>,
    session: Session,
    Path(flow_token): Path<String>,
) -> Response {
    match super::flows::recovery::take_up(&state, &session, &flow_token).await {
        Ok(true) => Redirect::to("/recover/verify").into_response(),
        Ok(false) => Redirect::to("/recover?link_expired=1").into_response(),
        Err(error) => refusal::error_response(&error),
    }
}

/// "Download my data": the signed-in user's profile, sessions and security events as a JSON file.
async fn account_export(
    State(state): State<AppState>,
    Extension(guard::Viewer(viewer)): Extension<guard::Viewer>,
) -> Response {
    let Some(signed_in) = viewer else {
        return refusal::error_response(&AppError::NotAuthenticated);
    };
    match super::flows::account::export(&state, &signed_in).await {
        Ok(export) => {
            let disposition = format!("attachment; filename=\"gatehouse-{}.json\"", export.username);
            ([(header::CONTENT_DISPOSITION, disposition)], Json(export)).into_response()
        }
        Err(error) => refusal::error_response(&error),
    }
}

/// The recovery codes on display, as a text file (only while they are shown).
async fn recovery_codes_file(
    State(state): State<AppState>,
    session: Session,
    Extension(guard::Viewer(viewer)): Extension<guard::Viewer>,
) -> Response {
    let Some(signed_in) = viewer else {
        return refusal::error_response(&AppError::NotAuthenticated);
    };
    match super::flows::two_factor::new_codes_file(&state, &signed_in, &session).await {
        Ok(Some(text)) => (
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"gatehouse-recovery-codes.txt\"",
                ),
            ],
            text,
        )
            .into_response(),
        Ok(None) => refusal::message_response(StatusCode::NOT_FOUND, "refusal-recovery-codes-gone"),
        Err(error) => refusal::error_response(&error),
    }
}

/// A console list (`/admin/users.csv`, `events.csv` or `codes.csv`) for its page's filter
/// fields, as a CSV download.
async fn console_csv(
    State(state): State<AppState>,
    Extension(guard::Viewer(viewer)): Extension<guard::Viewer>,
    uri: Uri,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    use super::flows::admin;
    let field = |name: &str| query.get(name).cloned().unwrap_or_default();
    let list = uri.path().trim_start_matches("/admin/").trim_end_matches(".csv");
    let csv = async {
        admin::require_admin(&state, viewer.as_ref()).await?;
        match list {
            "users" => admin::users_csv(&state, &field("search"), &field("filter"), &field("sort")).await,
            "events" => admin::events_csv(&state, &crate::model::EventFilter::from_fields(field)).await,
            _ => admin::codes_csv(&state, &crate::model::CodeFilter::from_fields(field)).await,
        }
    };
    csv_download(csv.await, &format!("gatehouse-{list}.csv"))
}

fn csv_download(csv: Result<String, AppError>, file_name: &str) -> Response {
    match csv {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file_name}\""),
                ),
            ],
            csv,
        )
            .into_response(),
        Err(error) => refusal::error_response(&error),
    }
}

/// What a server function works with: the shared state, this request's session, its client and
/// its signed-in user (resolved once by `guard::resolve_viewer`).
pub struct RequestContext {
    pub state: AppState,
    pub session: Session,
    pub client: Client,
    pub signed_in: Option<SignedIn>,
}

impl RequestContext {
    pub fn require_signed_in(&self) -> Result<&SignedIn, AppError> {
        self.signed_in.as_ref().ok_or(AppError::NotAuthenticated)
    }

    /// The signed-in admin (with two-factor on), or the refusal.
    pub async fn require_admin(&self) -> Result<&SignedIn, AppError> {
        crate::server::flows::admin::require_admin(&self.state, self.signed_in.as_ref()).await
    }

    /// Sets a header on the response of the server function being run.
    pub fn set_response_header(&self, name: &'static str, value: &'static str) {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.insert_header(
                axum::http::HeaderName::from_static(name),
                axum::http::HeaderValue::from_static(value),
            );
        }
    }
}

/// The page routes, listed once per process. Listing them renders the app with every resource
/// held back by a process-wide switch in leptos_server, so a page rendering on another router in
/// this process meanwhile (the test suite builds one per test) would wait forever for its data.
fn app_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub async fn request_context() -> Result<RequestContext, AppError> {
    let state = use_context::<AppState>().ok_or_else(|| error::internal("AppState missing from context"))?;
    let session = leptos_axum::extract::<Session>().await.map_err(error::internal)?;
    let axum::Extension(client) = leptos_axum::extract::<axum::Extension<Client>>()
        .await
        .map_err(error::internal)?;
    let signed_in = leptos_axum::extract::<axum::Extension<guard::Viewer>>()
        .await
        .map(|axum::Extension(guard::Viewer(viewer))| viewer)
        .map_err(error::internal)?;
    Ok(RequestContext {
        state,
        session,
        client,
        signed_in,
    })
}
