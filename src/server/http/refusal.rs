//! Refusals answered outside a page or a server function (a download, forward-auth, the language
//! switch): the handler picks the status and what to say; [`say`], on the way out of
//! `guard::resolve_viewer`, writes the sentence in the request's language.

use axum::{
    body::Body,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

use crate::{
    error::AppError,
    i18n::{catalogue::text, Language},
};

/// What a refusal says, before its language is known.
#[derive(Debug, Clone)]
pub enum Unsaid {
    Error(AppError),
    /// A catalogue key.
    Message(&'static str),
}

/// `error`'s status, its sentence said by [`say`].
pub fn error_response(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    refusal(status, Unsaid::Error(error.clone()))
}

/// `status` with the message `key`, said by [`say`].
pub fn message_response(status: StatusCode, key: &'static str) -> Response {
    refusal(status, Unsaid::Message(key))
}

fn refusal(status: StatusCode, unsaid: Unsaid) -> Response {
    let mut response = status.into_response();
    response.extensions_mut().insert(unsaid);
    response
}

/// Writes a refusal's sentence in `language` as its plain-text body; other responses pass as
/// they are.
pub fn say(response: Response, language: Language, site: &str) -> Response {
    let (mut parts, body) = response.into_parts();
    let Some(unsaid) = parts.extensions.remove::<Unsaid>() else {
        return Response::from_parts(parts, body);
    };
    let sentence = match unsaid {
        Unsaid::Error(error) => error.sentence_in(language, site),
        Unsaid::Message(key) => text(language, site, key, &[]),
    };
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(sentence))
}
