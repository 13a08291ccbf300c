//! The site's files: compiled into the release binary (feature `embedded-site`, see build.rs) and
//! served from memory in the encoding the browser accepts, or, in development, read from
//! `target/site` by Leptos' file handler.

use std::{borrow::Cow, io::Read};

use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

/// The URLs of the bundle the page loads: hashed names when embedded, cargo-leptos' names when not.
pub struct Bundle {
    pub js: &'static str,
    pub wasm: &'static str,
    pub css: &'static str,
}

pub struct SiteFile {
    pub url: &'static str,
    pub content_type: &'static str,
    pub etag: &'static str,
    /// Named by its content's hash: a browser may keep it for good.
    pub immutable: bool,
    pub content: Content,
}

pub enum Content {
    /// Small, or compressed already (images): sent as it is.
    Plain(&'static [u8]),
    /// Sent in brotli or gzip; a client that accepts neither gets the gzip inflated.
    Compressed {
        brotli: &'static [u8],
        gzip: &'static [u8],
    },
}

#[cfg(feature = "embedded-site")]
static FILES: &[SiteFile] = include!(concat!(env!("OUT_DIR"), "/site_files.rs"));
/// In development the fallback reads `target/site` instead.
#[cfg(not(feature = "embedded-site"))]
static FILES: &[SiteFile] = &[];

#[cfg(feature = "embedded-site")]
mod bundle {
    include!(concat!(env!("OUT_DIR"), "/site_bundle.rs"));
}

#[cfg(feature = "embedded-site")]
pub const BUNDLE: Bundle = Bundle {
    js: bundle::JS,
    wasm: bundle::WASM,
    css: bundle::CSS,
};

#[cfg(not(feature = "embedded-site"))]
pub const BUNDLE: Bundle = Bundle {
    js: "/pkg/gatehouse.js",
    wasm: "/pkg/gatehouse.wasm",
    css: "/pkg/gatehouse.css",
};

/// One route per embedded file.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    FILES.iter().fold(Router::new(), |router, file| {
        router.route(
            file.url,
            get(move |headers: HeaderMap| async move { serve(file, &headers) }),
        )
    })
}

fn serve(file: &SiteFile, request: &HeaderMap) -> Response {
    let cache_control = if file.immutable {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    let mut headers = vec![
        (header::ETAG, HeaderValue::from_static(file.etag)),
        (header::CACHE_CONTROL, HeaderValue::from_static(cache_control)),
        (header::VARY, HeaderValue::from_static("accept-encoding")),
    ];
    if etag_matches(request, file.etag) {
        return (StatusCode::NOT_MODIFIED, headers_map(headers)).into_response();
    }
    headers.push((header::CONTENT_TYPE, HeaderValue::from_static(file.content_type)));
    let accepted = accepted_encodings(request);
    let (body, encoding): (Cow<'static, [u8]>, _) = match file.content {
        Content::Plain(bytes) => (bytes.into(), None),
        Content::Compressed { brotli, .. } if accepted.brotli => (brotli.into(), Some("br")),
        Content::Compressed { gzip, .. } if accepted.gzip => (gzip.into(), Some("gzip")),
        Content::Compressed { gzip, .. } => (inflate(gzip).into(), None),
    };
    if let Some(encoding) = encoding {
        headers.push((header::CONTENT_ENCODING, HeaderValue::from_static(encoding)));
    }
    (headers_map(headers), body).into_response()
}

fn inflate(gzip: &[u8]) -> Vec<u8> {
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(gzip)
        .read_to_end(&mut plain)
        .expect("the build compressed this file itself");
    plain
}

fn headers_map(headers: Vec<(header::HeaderName, HeaderValue)>) -> HeaderMap {
    headers.into_iter().collect()
}

/// `If-None-Match` naming this file's ETag (or `*`).
fn etag_matches(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

#[derive(Debug, Default, PartialEq)]
struct AcceptedEncodings {
    brotli: bool,
    gzip: bool,
}

/// Which of brotli and gzip `Accept-Encoding` allows (a `q=0` refuses one).
fn accepted_encodings(request: &HeaderMap) -> AcceptedEncodings {
    let mut accepted = AcceptedEncodings::default();
    let values = request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','));
    for value in values {
        let mut parts = value.split(';').map(str::trim);
        let coding = parts.next().unwrap_or_default().to_ascii_lowercase();
        let refused = parts.any(|parameter| {
            parameter
                .strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        match coding.as_str() {
            "br" => accepted.brotli = !refused,
            "gzip" => accepted.gzip = !refused,
            _ => {}
        }
    }
    accepted
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use axum::http::{header, HeaderMap, HeaderValue};

    use super::*;

    fn with(name: header::HeaderName, value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_static(value));
        headers
    }

    fn bundle_js() -> SiteFile {
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(b"plain").unwrap();
        SiteFile {
            url: "/pkg/gatehouse.0123456789abcdef.js",
            content_type: "text/javascript; charset=utf-8",
            etag: "\"0123456789abcdef\"",
            immutable: true,
            content: Content::Compressed {
                brotli: b"brotli",
                gzip: gzip.finish().unwrap().leak(),
            },
        }
    }

    #[tokio::test]
    async fn serves_the_best_accepted_encoding_and_revalidates() {
        let body =
            |response: Response| async { axum::body::to_bytes(response.into_body(), 100).await.unwrap() };
        let file = bundle_js();
        let response = serve(&file, &with(header::ACCEPT_ENCODING, "gzip, br"));
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(
            response.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(response.headers()[header::VARY], "accept-encoding");
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
        assert_eq!(&body(response).await[..], b"brotli");
        let response = serve(&file, &with(header::ACCEPT_ENCODING, "gzip"));
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(&body(response).await[..], file_gzip(&file));
        let response = serve(&file, &HeaderMap::new());
        assert!(response.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(&body(response).await[..], b"plain");
        let response = serve(&file, &with(header::IF_NONE_MATCH, "\"0123456789abcdef\""));
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        assert!(body(response).await.is_empty());
    }

    fn file_gzip(file: &SiteFile) -> &'static [u8] {
        match file.content {
            Content::Compressed { gzip, .. } => gzip,
            Content::Plain(_) => unreachable!(),
        }
    }

    #[test]
    fn reads_the_accepted_encodings() {
        let read = |value| accepted_encodings(&with(header::ACCEPT_ENCODING, value));
        assert_eq!(
            read("gzip, deflate, br, zstd"),
            AcceptedEncodings {
                brotli: true,
                gzip: true
            }
        );
        assert_eq!(
            read("gzip;q=1.0, br;q=0"),
            AcceptedEncodings {
                brotli: false,
                gzip: true
            }
        );
        assert_eq!(read("identity"), AcceptedEncodings::default());
    }

    #[test]
    fn matches_etags_strong_weak_and_listed() {
        let etag = "\"0123456789abcdef\"";
        assert!(etag_matches(
            &with(header::IF_NONE_MATCH, "\"0123456789abcdef\""),
            etag
        ));
        assert!(etag_matches(
            &with(header::IF_NONE_MATCH, "\"x\", W/\"0123456789abcdef\""),
            etag
        ));
        assert!(etag_matches(&with(header::IF_NONE_MATCH, "*"), etag));
        assert!(!etag_matches(&with(header::IF_NONE_MATCH, "\"other\""), etag));
        assert!(!etag_matches(&HeaderMap::new(), etag));
    }
}
