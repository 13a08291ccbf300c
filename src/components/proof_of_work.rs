use std::time::Duration;

use leptos::{html, prelude::*};

use crate::{error::AppError, pow};

/// Nonces tried per slice before the page gets a turn to stay responsive.
const SEARCH_SLICE: u64 = 4_096;
/// A challenge answered by itself at most this often in a row, so a refused proof cannot loop.
const MAX_AUTOMATIC_SUBMITS: u8 = 2;

/// The hidden `pow` field of a form the server may ask for proof of work, and what answers it:
/// when the answer is `ProofOfWorkRequired`, the browser solves the challenge in the background
/// and submits the form again by itself. Without JavaScript the user reads the error's sentence
/// (wait until the burst has passed).
#[component]
pub fn ProofOfWork(
    #[prop(into)] error: Signal<Option<AppError>>,
    form: NodeRef<html::Form>,
    /// "Checking that you are a person…", in the reader's language.
    checking: String,
) -> impl IntoView {
    let field = NodeRef::<html::Input>::new();
    let solving = RwSignal::new(false);
    let automatic_submits = StoredValue::new(0u8);
    Effect::new(move |_| {
        solving.set(false);
        match error.get() {
            Some(AppError::ProofOfWorkRequired { challenge, .. })
                if automatic_submits.get_value() < MAX_AUTOMATIC_SUBMITS =>
            {
                automatic_submits.update_value(|count| *count += 1);
                solving.set(true);
                solve_in_background(challenge, move |proof| {
                    if let (Some(field), Some(form)) = (field.get_untracked(), form.get_untracked()) {
                        field.set_value(&proof);
                        let _ = form.request_submit();
                    }
                });
            }
            Some(AppError::ProofOfWorkRequired { .. }) => {}
            _ => automatic_submits.set_value(0),
        }
    });
    let message = move || match (solving.get(), error.get()) {
        (true, _) => Some(
            view! {
                <p class="notice" role="status" data-testid="proof-of-work">{checking.clone()}</p>
            }
            .into_any(),
        ),
        (false, Some(error @ AppError::ProofOfWorkRequired { .. })) => {
            Some(view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any())
        }
        _ => None,
    };
    view! {
        <input type="hidden" name="pow" value="" node_ref=field/>
        {message}
    }
}

fn solve_in_background(challenge: String, on_solved: impl FnOnce(String) + 'static) {
    if let Some(difficulty) = pow::difficulty_of(&challenge) {
        search_from(challenge, difficulty, 0, on_solved);
    }
}

fn search_from(challenge: String, difficulty: u8, from: u64, on_solved: impl FnOnce(String) + 'static) {
    match pow::search(&challenge, difficulty, from, SEARCH_SLICE) {
        Some(nonce) => on_solved(pow::proof(&challenge, nonce)),
        None => set_timeout(
            move || search_from(challenge, difficulty, from + SEARCH_SLICE, on_solved),
            Duration::ZERO,
        ),
    }
}
