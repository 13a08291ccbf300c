//! The site's own look: its name, logo, accent colour and where its users get help. The logo and
//! the colours are served from this origin under names hashed from their content (a year's
//! cache), so the content security policy stays as strict as without them.

use std::{path::Path, sync::Arc};

use axum::{
    extract::{Path as UrlPath, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

use super::{config::SettingValue, state::AppState};

pub const MAX_LOGO_BYTES: usize = 256 * 1024;
/// Text on the page is dark on white, the header's and buttons' text white on the accent: WCAG AA
/// asks 4.5:1 of normal text against its background.
pub const MIN_CONTRAST: f64 = 4.5;

/// `GATEHOUSE_SITE_NAME`: what the header, titles, mails and authenticator apps call the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteName(pub String);

impl SettingValue for SiteName {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        let name = raw.trim();
        if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
            return Err("expected a name of 1 to 60 characters".into());
        }
        Ok(SiteName(name.to_string()))
    }
}

/// `GATEHOUSE_ACCENT_COLOUR`: any CSS colour, opaque, dark enough for white text on it and for
/// links on white.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccentColour {
    /// `#rrggbb`
    pub hex: String,
}

impl SettingValue for Option<AccentColour> {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let colour = csscolorparser::parse(raw).map_err(|_| format!("{raw:?} is not a CSS colour"))?;
        if colour.a < 1.0 {
            return Err("must be opaque".into());
        }
        let contrast = contrast_with_white(colour.to_linear_rgba());
        if contrast < MIN_CONTRAST {
            return Err(format!(
                "{raw:?} has a contrast of {contrast:.2}:1 with white; WCAG AA needs {MIN_CONTRAST}:1 \
                 (white text on it, and it as link text on white): choose a darker colour"
            ));
        }
        let [red, green, blue, _] = colour.to_rgba8();
        Ok(Some(AccentColour {
            hex: format!("#{red:02x}{green:02x}{blue:02x}"),
        }))
    }
}

/// WCAG 2's contrast ratio of a colour (linear RGB) with white.
fn contrast_with_white([red, green, blue, _]: [f32; 4]) -> f64 {
    let luminance = 0.2126 * f64::from(red) + 0.7152 * f64::from(green) + 0.0722 * f64::from(blue);
    1.05 / (luminance + 0.05)
}

/// `GATEHOUSE_SUPPORT_URL`: where users get help (shown in mails and on error pages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportUrl(pub String);

impl SettingValue for Option<SupportUrl> {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        let url = raw.trim();
        if url.is_empty() {
            return Ok(None);
        }
        let scheme_ok = ["https://", "http://", "mailto:"]
            .iter()
            .any(|scheme| url.starts_with(scheme));
        if !scheme_ok || url.contains(['"', '<', '>', ' ', '\\']) {
            return Err(
                "expected an address like https://help.example.com or mailto:help@example.com".into(),
            );
        }
        Ok(Some(SupportUrl(url.to_string())))
    }
}

/// A file the site serves under a name hashed from its content.
#[derive(Clone)]
pub struct BrandFile {
    /// `/brand/logo-1a2b3c4d5e6f7a8b.svg`
    pub url: String,
    pub content_type: &'static str,
    pub bytes: Arc<[u8]>,
}

impl std::fmt::Debug for BrandFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({} bytes)", self.url, self.bytes.len())
    }
}

impl BrandFile {
    fn new(stem: &str, extension: &str, content_type: &'static str, bytes: Vec<u8>) -> BrandFile {
        let hash = hex::encode(&Sha256::digest(&bytes)[..8]);
        BrandFile {
            url: format!("/brand/{stem}-{hash}.{extension}"),
            content_type,
            bytes: bytes.into(),
        }
    }
}

/// `GATEHOUSE_LOGO_FILE`: an SVG or PNG of at most 256 KiB, read once when the settings are.
impl SettingValue for Option<BrandFile> {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        let path = raw.trim();
        if path.is_empty() {
            return Ok(None);
        }
        let bytes = std::fs::read(Path::new(path)).map_err(|error| format!("cannot read {path}: {error}"))?;
        if bytes.len() > MAX_LOGO_BYTES {
            return Err(format!(
                "{path} has {} bytes; a logo may have at most {MAX_LOGO_BYTES}",
                bytes.len()
            ));
        }
        let (extension, content_type) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            ("png", "image/png")
        } else if std::str::from_utf8(&bytes).is_ok_and(|text| text.contains("<svg")) {
            ("svg", "image/svg+xml")
        } else {
            return Err(format!("{path} is neither an SVG nor a PNG image"));
        };
        Ok(Some(BrandFile::new("logo", extension, content_type, bytes)))
    }
}

/// The stylesheet that puts the accent colour in place of the built-in one (after `main.css`).
pub fn accent_stylesheet(accent: &AccentColour) -> BrandFile {
    let css = format!(":root{{--brand:{0};--brand-dark:{0}}}\n", accent.hex);
    BrandFile::new("accent", "css", "text/css; charset=utf-8", css.into_bytes())
}

/// `GET /brand/{file}`: the logo or the accent's stylesheet, by its hashed name.
pub async fn serve(State(state): State<AppState>, UrlPath(file): UrlPath<String>) -> Response {
    let wanted = format!("/brand/{file}");
    let found = [
        state.settings.logo_file.as_ref(),
        state.accent_stylesheet.as_ref(),
    ]
    .into_iter()
    .flatten()
    .find(|brand_file| brand_file.url == wanted);
    let Some(brand_file) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(brand_file.content_type),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        brand_file.bytes.to_vec(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accent_colours_need_aa_contrast_with_white() {
        let accent = |raw| Option::<AccentColour>::parse_setting(raw);
        assert_eq!(accent("#1f4e79").unwrap().unwrap().hex, "#1f4e79");
        assert_eq!(accent("rebeccapurple").unwrap().unwrap().hex, "#663399");
        assert!(accent("#ffcc00").unwrap_err().contains("contrast of 1.5"));
        assert!(accent("#767676").is_ok(), "4.54:1 passes");
        assert!(accent("#777777").is_err(), "4.48:1 does not");
        assert!(accent("rgba(0,0,0,0.5)").is_err());
        assert!(accent("not-a-colour").is_err());
        assert_eq!(accent("").unwrap(), None);
    }

    #[test]
    fn logos_are_svg_or_png_and_small() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            Option::<BrandFile>::parse_setting(path.to_str().unwrap())
        };
        let svg = file("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
            .unwrap()
            .unwrap();
        assert!(svg.url.starts_with("/brand/logo-") && svg.url.ends_with(".svg"));
        assert_eq!(svg.content_type, "image/svg+xml");
        let png = file("logo.png", b"\x89PNG\r\n\x1a\nrest").unwrap().unwrap();
        assert!(png.url.ends_with(".png"));
        assert!(file("logo.gif", b"GIF89a").unwrap_err().contains("neither"));
        let big = vec![b' '; MAX_LOGO_BYTES + 1];
        assert!(file("big.svg", &big).unwrap_err().contains("at most"));
        assert!(Option::<BrandFile>::parse_setting("/no/such/logo.svg")
            .unwrap_err()
            .contains("cannot read"));
    }
}
