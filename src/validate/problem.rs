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

    /// Its sentence with the typed length left as `{length}`, for an island that checks this
    /// rule as the user types: the browser fills the length in.
    pub fn template(self) -> String {
        let args: Vec<(&str, Arg)> = self
            .numbers()
            .into_iter()
            .map(|(name, number)| match name {
                "length" => (name, Arg::Text("{length}".into())),
                _ => (name, Arg::Number(number as i64)),
            })
            .collect();
        crate::i18n::t_with(self.key(), &args)
    }
}
