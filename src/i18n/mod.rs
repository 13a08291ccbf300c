//! Languages: every page and mail in the reader's language. The words live in Fluent catalogues,
//! `locales/<code>.ftl`, which only the server reads (`catalogue`): pages render there, and islands
//! get their words as props, so no catalogue reaches the WASM bundle.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod catalogue;

/// The languages Gatehouse speaks. Adding one: a variant here, its catalogue under `locales/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Language {
    #[default]
    English,
    German,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::German];

    /// Its BCP 47 tag, as `<html lang>`, the cookie and the database spell it.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
        }
    }

    /// Its own name for itself, as the language switch offers it.
    pub fn own_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::German => "Deutsch",
        }
    }

    /// `de`, `de-AT` and `DE` are German: a tag's primary subtag decides.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        Language::ALL
            .into_iter()
            .find(|language| primary.eq_ignore_ascii_case(language.code()))
    }

    /// A moment as this language writes it: `2025-11-24 16:00 UTC`, `24.11.2025, 16:00 UTC`.
    pub fn date_time(self, unix_secs: i64) -> String {
        let CivilTime {
            year,
            month,
            day,
            hour,
            minute,
        } = CivilTime::of(unix_secs);
        match self {
            Language::English => format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02} UTC"),
            Language::German => format!("{day:02}.{month:02}.{year:04}, {hour:02}:{minute:02} UTC"),
        }
    }

    /// A count as this language groups its digits: `12,345`, `12.345`.
    pub fn number(self, value: i64) -> String {
        let separator = match self {
            Language::English => ',',
            Language::German => '.',
        };
        let digits = value.unsigned_abs().to_string();
        let mut grouped = String::new();
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index).is_multiple_of(3) {
                grouped.push(separator);
            }
            grouped.push(digit);
        }
        if value < 0 {
            grouped.insert(0, '-');
        }
        grouped
    }
}

/// A value for a message's placeholder.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    /// A number: the catalogue may choose a plural form by it.
    Number(i64),
}

impl From<&str> for Arg {
    fn from(text: &str) -> Arg {
        Arg::Text(text.to_string())
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Text(text)
    }
}

impl From<i64> for Arg {
    fn from(number: i64) -> Arg {
        Arg::Number(number)
    }
}

impl From<usize> for Arg {
    fn from(number: usize) -> Arg {
        Arg::Number(number as i64)
    }
}

impl From<u32> for Arg {
    fn from(number: u32) -> Arg {
        Arg::Number(i64::from(number))
    }
}

/// The message `key` in the language of the page being rendered.
pub fn t(key: &str) -> String {
    t_with(key, &[])
}

/// The message `key` with its placeholders filled, in the language of the page being rendered.
/// Pages render on the server only; the browser's build has no catalogue and never calls this.
pub fn t_with(key: &str, args: &[(&str, Arg)]) -> String {
    #[cfg(feature = "ssr")]
    return catalogue::in_request(key, args);
    #[cfg(not(feature = "ssr"))]
    {
        let _ = args;
        key.to_string()
    }
}

/// A sentence with something in its middle (an address in bold, a ticking time): message `key`,
/// cut where its placeholder `name` stands, into the words before and after it.
pub fn around(key: &str, name: &str) -> (String, String) {
    const CUT: &str = "\u{1}";
    let text = t_with(key, &[(name, CUT.into())]);
    let (before, after) = text.split_once(CUT).unwrap_or((&text, ""));
    (before.to_string(), after.to_string())
}

/// Declares an island's words: a struct of strings the server fills in the reader's language.
/// They travel as a plain list of strings in the fields' order, the cheapest shape for the
/// browser to decode: a struct with named fields would cost each island a decoder of its own.
#[macro_export]
macro_rules! island_words {
    ($(#[$meta:meta])* pub struct $name:ident { $($field:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[serde(from = "Vec<String>", into = "Vec<String>")]
        pub struct $name {
            $(pub $field: String),*
        }

        impl From<Vec<String>> for $name {
            fn from(list: Vec<String>) -> $name {
                let mut list = list.into_iter();
                $name {
                    $($field: list.next().unwrap_or_default()),*
                }
            }
        }

        impl From<$name> for Vec<String> {
            fn from(words: $name) -> Vec<String> {
                vec![$(words.$field),*]
            }
        }
    };
}

/// A moment as the language of the page being rendered writes it.
pub fn date_time(unix_secs: i64) -> String {
    language().date_time(unix_secs)
}

/// The language of the page being rendered.
pub fn language() -> Language {
    #[cfg(feature = "ssr")]
    return catalogue::request_language();
    #[cfg(not(feature = "ssr"))]
    Language::default()
}

/// A moment's calendar date and clock time in UTC.
pub struct CivilTime {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
}

impl CivilTime {
    /// Days-to-civil conversion, so the WASM bundle needs no date library.
    pub fn of(unix_secs: i64) -> CivilTime {
        let days = unix_secs.div_euclid(86_400);
        let seconds_of_day = unix_secs.rem_euclid(86_400);
        let shifted = days + 719_468;
        let era = shifted.div_euclid(146_097);
        let day_of_era = shifted.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_index = (5 * day_of_year + 2) / 153;
        let month = if month_index < 10 {
            month_index + 3
        } else {
            month_index - 9
        };
        CivilTime {
            year: year_of_era + era * 400 + i64::from(month <= 2),
            month,
            day: day_of_year - (153 * month_index + 2) / 5 + 1,
            hour: seconds_of_day / 3600,
            minute: seconds_of_day % 3600 / 60,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Language;

    #[test]
    fn tags_choose_by_their_primary_subtag() {
        assert_eq!(Language::from_tag("de-AT"), Some(Language::German));
        assert_eq!(Language::from_tag("EN_gb"), Some(Language::English));
        assert_eq!(Language::from_tag("fr"), None);
    }

    #[test]
    fn dates_and_numbers_are_written_as_each_language_writes_them() {
        assert_eq!(Language::English.date_time(1_764_000_000), "2025-11-24 16:00 UTC");
        assert_eq!(Language::German.date_time(1_764_000_000), "24.11.2025, 16:00 UTC");
        assert_eq!(Language::English.number(1_234_567), "1,234,567");
        assert_eq!(Language::German.number(-12_345), "-12.345");
        assert_eq!(Language::German.number(999), "999");
    }
}
