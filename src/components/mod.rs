//! View pieces shared by several pages.

mod code_entry;
mod countdown;
mod form_field;
mod notice;
mod passkey;
mod proof_of_work;
mod terms_box;

pub use code_entry::{CodeEntry, CodeWords};
pub use countdown::{format_duration, use_countdown, use_interval};
pub use form_field::{new_password_hint, password_hint, FormField};
pub use notice::{
    error_beside_proof_of_work, split_errors, use_form_error_from_url, ErrorNotice, QueryNotice,
};
pub use passkey::PasskeyButton;
pub use proof_of_work::ProofOfWork;
pub use terms_box::TermsBox;
