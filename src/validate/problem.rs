use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::i18n::Arg;

/// A rule a field's value breaks. The words for it are in the catalogues (`problem-<name>`): the
/// server renders them in the reader's language, and an island that checks as the user types
/// gets them as props (see `Words`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    UsernameLength { min: usize, max: usize, length: usize },
    UsernameCharacters,
    UsernameReserved,
    EmailMissing,
    TooLong { max: usize },
    EmailInvalid,
    PasswordTooShort { min: usize, length: usize },
    PasswordTooLong { max: usize, length: usize },
    PasswordCommon,
    PasswordPredictable,
    PasswordHasUsername,
    PasswordHasEmail,
    PasswordHasSiteName,
    PasswordsDiffer,
    Code,
    IdentifierMissing,
    IdentifierInvisible,
    GroupNameMissing,
    GroupNameTooLong { max: usize },
    GroupNameCharacters,
}

impl Problem {
    /// The catalogue's key for its sentence.
    pub fn key(self) -> &'static str {
        match self {
            Problem::UsernameLength { .. } => "problem-username-length",
            Problem::UsernameCharacters => "problem-username-characters",
            Problem::UsernameReserved => "problem-username-reserved",
            Problem::EmailMissing => "problem-email-missing",
            Problem::TooLong { .. } => "problem-too-long",
            Problem::EmailInvalid => "problem-email-invalid",
            Problem::PasswordTooShort { .. } => "problem-password-too-short",
            Problem::PasswordTooLong { .. } => "problem-password-too-long",
            Problem::PasswordCommon => "problem-password-common",
            Problem::PasswordPredictable => "problem-password-predictable",
            Problem::PasswordHasUsername => "problem-password-has-username",
            Problem::PasswordHasEmail => "problem-password-has-email",
            Problem::PasswordHasSiteName => "problem-password-has-site-name",
            Problem::PasswordsDiffer => "problem-passwords-differ",
            Problem::Code => "problem-code",
            Problem::IdentifierMissing => "problem-identifier-missing",
            Problem::IdentifierInvisible => "problem-identifier-invisible",
            Problem::GroupNameMissing => "problem-group-name-missing",
            Problem::GroupNameTooLong { .. } => "problem-group-name-too-long",
            Problem::GroupNameCharacters => "problem-group-name-characters",
        }
    }

    /// The numbers its sentence names.
    pub fn numbers(self) -> Vec<(&'static str, usize)> {
        match self {
            Problem::UsernameLength { min, max, length } => {
                vec![("min", min), ("max", max), ("length", length)]
            }
            Problem::PasswordTooShort { min, length } => vec![("min", min), ("length", length)],
            Problem::PasswordTooLong { max, length } => vec![("max", max), ("length", length)],
            Problem::TooLong { max } | Problem::GroupNameTooLong { max } => vec![("max", max)],
            _ => Vec::new(),
        }
    }

    /// Its sentence in the language of the request being answered.
    pub fn sentence(self) -> String {
        crate::i18n::t_with(self.key(), &self.args())
    }

    /// Its sentence in English, for the operator (a setting's error).
    #[cfg(feature = "ssr")]
    pub fn in_english(self) -> String {
        crate::i18n::catalogue::text(crate::i18n::Language::English, "", self.key(), &self.args())
    }

    fn args(self) -> Vec<(&'static str, Arg)> {
        self.numbers()
            .into_iter()
            .map(|(name, number)| (name, Arg::Number(number as i64)))
            .collect()
    }

    /// Its sentence from an island's words: the server rendered each problem's message with its
    /// numbers left as `{min}`, `{max}`, `{length}`, and the browser fills them in.
    pub fn sentence_from(self, template: &str) -> String {
        self.numbers()
            .into_iter()
            .fold(template.to_string(), |text, (name, number)| {
                text.replace(&format!("{{{name}}}"), &number.to_string())
            })
    }
}

/// The placeholders an island's problem words keep for the browser to fill (see
/// [`Problem::sentence_from`]).
pub fn placeholders() -> Vec<(&'static str, Arg)> {
    ["min", "max", "length"]
        .into_iter()
        .map(|name| (name, Arg::Text(format!("{{{name}}}"))))
        .collect()
}

/// The sentences of the problems an island checks as the user types, in the reader's language,
/// their numbers left for the browser to fill in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemWords(BTreeMap<String, String>);

impl ProblemWords {
    /// The words for `problems` (their numbers do not matter: only their kind).
    pub fn of(problems: &[Problem]) -> ProblemWords {
        let placeholders = placeholders();
        ProblemWords(
            problems
                .iter()
                .map(|problem| {
                    let key = problem.key();
                    (key.to_string(), crate::i18n::t_with(key, &placeholders))
                })
                .collect(),
        )
    }

    pub fn sentence(&self, problem: Problem) -> String {
        let template = self.0.get(problem.key()).map_or("", String::as_str);
        problem.sentence_from(template)
    }
}
