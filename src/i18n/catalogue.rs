//! The server's side of languages: the catalogues, built once, and which language a request is
//! answered in.

use std::sync::LazyLock;

use axum::http::{header, request::Parts, HeaderMap};
use fluent_bundle::{concurrent::FluentBundle, FluentArgs, FluentResource, FluentValue};
use leptos::prelude::use_context;

use super::{Arg, Language};
use crate::server::{client::Client, config::SettingValue, state::AppState};

/// The switch's cookie: the language a browser picked.
pub const LANGUAGE_COOKIE: &str = "gatehouse_language";

/// A language's catalogue: the files of its folder under `locales/`, compiled into the binary.
macro_rules! catalogue {
    ($code:literal) => {
        concat!(
            include_str!(concat!("../../locales/", $code, "/pages.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $code, "/forms.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $code, "/errors.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $code, "/console.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $code, "/mail.ftl")),
        )
    };
}

/// Each language's catalogue source.
pub fn source(language: Language) -> &'static str {
    match language {
        Language::English => catalogue!("en"),
        Language::German => catalogue!("de"),
    }
}

static CATALOGUES: LazyLock<Vec<FluentBundle<FluentResource>>> =
    LazyLock::new(|| Language::ALL.into_iter().map(bundle).collect());

fn bundle(language: Language) -> FluentBundle<FluentResource> {
    // The catalogue tests parse every catalogue, so these cannot fail in a build that passed them.
    let resource = FluentResource::try_new(source(language).to_string())
        .unwrap_or_else(|(_, errors)| panic!("locales/{}/: {errors:?}", language.code()));
    let tag = language.code().parse().expect("a language code is a valid tag");
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // Fluent wraps each placeholder in invisible direction marks by default; mail and pages here
    // are one direction, and the marks would end up inside copied codes and addresses.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("locales/{}/: {errors:?}", language.code()));
    bundle
}

/// The message `key` in `language`, with `$site` and `args` filled in. A key missing from a
/// catalogue (which the catalogue tests rule out) shows as itself rather than failing the page.
pub fn text(language: Language, site: &str, key: &str, args: &[(&str, Arg)]) -> String {
    let bundle = &CATALOGUES[language as usize];
    let Some(pattern) = bundle.get_message(key).and_then(|message| message.value()) else {
        tracing::error!(
            key,
            language = language.code(),
            "no such message in the catalogue"
        );
        return key.to_string();
    };
    let mut values = FluentArgs::new();
    values.set("site", site.to_string());
    for (name, value) in args {
        match value {
            Arg::Text(text) => values.set(*name, text.clone()),
            Arg::Number(number) => values.set(*name, FluentValue::from(*number)),
        }
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&values), &mut errors);
    if !errors.is_empty() {
        tracing::error!(key, ?errors, "a message's placeholders were not all given");
    }
    text.into_owned()
}

/// `key` in the language of the request being rendered or answered.
pub fn in_request(key: &str, args: &[(&str, Arg)]) -> String {
    text(request_language(), &request_site(), key, args)
}

/// The site's name, while rendering or answering a request.
pub fn request_site() -> String {
    use_context::<AppState>()
        .map(|state| state.settings.site_name.0.clone())
        .unwrap_or_default()
}

/// The language chosen for the request being rendered (see [`choose`]): the client's.
pub fn request_language() -> Language {
    use_context::<Parts>()
        .and_then(|parts| parts.extensions.get::<Client>().map(|client| client.language))
        .unwrap_or_default()
}

/// A request's language: the account's saved choice, else the switch's cookie, else the first
/// language of `Accept-Language` that Gatehouse speaks, else the site's default.
pub fn choose(saved: Option<Language>, headers: &HeaderMap, default: Language) -> Language {
    let cookie =
        crate::server::http::headers::cookie_value(headers, LANGUAGE_COOKIE).and_then(Language::from_tag);
    let browser = || {
        let accepted = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        accept_language::parse(accepted)
            .iter()
            .find_map(|tag| Language::from_tag(tag))
    };
    saved.or(cookie).or_else(browser).unwrap_or(default)
}

impl SettingValue for Language {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        Language::from_tag(raw).ok_or_else(|| {
            let codes: Vec<&str> = Language::ALL.iter().map(|language| language.code()).collect();
            format!("expected one of {}, got {raw:?}", codes.join(", "))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

    use super::*;

    /// Each message's id and the placeholders it uses (besides none).
    fn messages(language: Language) -> BTreeMap<String, BTreeSet<String>> {
        let resource = FluentResource::try_new(source(language).to_string())
            .unwrap_or_else(|(_, errors)| panic!("locales/{}/ does not parse: {errors:?}", language.code()));
        resource
            .entries()
            .filter_map(|entry| match entry {
                Entry::Message(message) => Some(message),
                Entry::Junk { content } => panic!("locales/{}/: cannot read {content:?}", language.code()),
                _ => None,
            })
            .map(|message| {
                let mut placeholders = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    collect(pattern, &mut placeholders);
                }
                (message.id.name.to_string(), placeholders)
            })
            .collect()
    }

    fn collect(pattern: &Pattern<&str>, placeholders: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                collect_expression(expression, placeholders);
            }
        }
    }

    fn collect_expression(expression: &Expression<&str>, placeholders: &mut BTreeSet<String>) {
        match expression {
            Expression::Select { selector, variants } => {
                collect_inline(selector, placeholders);
                for variant in variants {
                    collect(&variant.value, placeholders);
                }
            }
            Expression::Inline(inline) => collect_inline(inline, placeholders),
        }
    }

    fn collect_inline(inline: &InlineExpression<&str>, placeholders: &mut BTreeSet<String>) {
        match inline {
            InlineExpression::VariableReference { id } => {
                placeholders.insert(id.name.to_string());
            }
            InlineExpression::Placeable { expression } => collect_expression(expression, placeholders),
            _ => {}
        }
    }

    #[test]
    fn every_language_has_every_message_with_the_same_placeholders() {
        let english = messages(Language::English);
        for language in Language::ALL {
            let other = messages(language);
            let missing: Vec<&String> = english.keys().filter(|key| !other.contains_key(*key)).collect();
            let extra: Vec<&String> = other.keys().filter(|key| !english.contains_key(*key)).collect();
            assert!(
                missing.is_empty(),
                "locales/{}/ lacks {missing:?}",
                language.code()
            );
            assert!(
                extra.is_empty(),
                "locales/{}/ has unknown {extra:?}",
                language.code()
            );
            for (key, placeholders) in &english {
                assert_eq!(
                    &other[key],
                    placeholders,
                    "locales/{}/: {key} has other placeholders than in English",
                    language.code()
                );
            }
        }
    }

    /// A lost line break glues a definition onto the message above, which then shows it as text
    /// (and the completeness test is blind to it while the key is defined elsewhere too).
    #[test]
    fn no_message_swallowed_another() {
        for language in Language::ALL {
            let keys = messages(language);
            for line in source(language).lines().filter(|line| !line.starts_with('#')) {
                let text = line.split_once(" = ").map_or(line, |(_, text)| text);
                let swallowed = keys.keys().find(|key| text.contains(&format!("{key} = ")));
                assert_eq!(swallowed, None, "locales/{}/: {line:?}", language.code());
            }
        }
    }

    /// Every message key the code hands to `t` or `t_with` is in the catalogues.
    #[test]
    fn every_message_the_code_asks_for_exists() {
        let english = messages(Language::English);
        // Cargo names the package's folder at run time too: a test binary built in another clone
        // of the repository (sharing the target folder) still reads this one.
        let root = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR");
        let mut files = vec![std::path::Path::new(&root).join("src")];
        let mut asked = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(
                    std::fs::read_dir(&path)
                        .unwrap()
                        .map(|entry| entry.unwrap().path()),
                );
                continue;
            }
            if path.extension().is_none_or(|extension| extension != "rs") {
                continue;
            }
            let code = std::fs::read_to_string(&path).unwrap();
            // Calls that take a key, and the keys that errors and field rules name in a match.
            for call in [
                "t(\"",
                "t_with(\"",
                "around(\"",
                "\"error-",
                "\"problem-",
                "\"wait-",
                "\"refusal-",
                "\"console-",
                "\"security-event-",
            ] {
                for (start, _) in code.match_indices(call) {
                    let preceded_by_word = code[..start]
                        .chars()
                        .last()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_');
                    if preceded_by_word {
                        continue;
                    }
                    let key_start = start + call.rfind('"').unwrap() + 1;
                    let rest = &code[key_start..];
                    let key = &rest[..rest.find('"').unwrap()];
                    if key.ends_with('-') {
                        continue; // this list's own prefixes
                    }
                    assert!(
                        english.contains_key(key),
                        "{}: no message {key:?}",
                        path.display()
                    );
                    asked += 1;
                }
            }
        }
        assert!(asked > 10, "the scan found only {asked} messages asked for");
    }

    #[test]
    fn placeholders_and_the_site_name_are_filled_in() {
        let site = "Northwind";
        assert_eq!(
            text(Language::German, site, "home-heading", &[]),
            "Willkommen bei Northwind"
        );
        let minutes =
            |language, count: i64| text(language, site, "duration-minutes", &[("count", count.into())]);
        assert_eq!(minutes(Language::English, 1), "1 minute");
        assert_eq!(minutes(Language::German, 5), "5 Minuten");
        assert_eq!(
            text(Language::English, site, "no-such-message", &[]),
            "no-such-message"
        );
    }

    #[test]
    fn the_saved_choice_beats_the_cookie_which_beats_the_browser_which_beats_the_default() {
        let headers = |cookie: Option<&str>, accept: Option<&str>| {
            let mut headers = HeaderMap::new();
            if let Some(cookie) = cookie {
                headers.insert(
                    header::COOKIE,
                    format!("other=1; {LANGUAGE_COOKIE}={cookie}").parse().unwrap(),
                );
            }
            if let Some(accept) = accept {
                headers.insert(header::ACCEPT_LANGUAGE, accept.parse().unwrap());
            }
            headers
        };
        let (en, de) = (Language::English, Language::German);
        assert_eq!(choose(Some(en), &headers(Some("de"), Some("de")), de), en);
        assert_eq!(choose(None, &headers(Some("de"), Some("en")), en), de);
        assert_eq!(
            choose(None, &headers(None, Some("fr-CH, de-AT;q=0.8, en;q=0.5")), en),
            de
        );
        assert_eq!(choose(None, &headers(Some("xx"), Some("fr")), de), de);
        assert_eq!(choose(None, &HeaderMap::new(), en), en);
    }
}
