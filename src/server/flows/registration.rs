//! Register: an unverified account and the first code of its registration flow.

use crate::{
    error::AppError,
    server::{
        audit::RefusalKind,
        client::Client,
        codes,
        domain::{CodePurpose, LimitCheck, LimitRequest, NewRegistration, ProofGate, RegistrationCreated},
        keys, metrics,
        registration_policy::{self, RegistrationMode},
        state::AppState,
        throttle::bucket,
    },
    validate::{self, Field, FieldError, ValidRegistration},
};

use super::email_code;
use crate::i18n::t;

/// A username held by a registration that was never verified is freed after this long.
pub const UNVERIFIED_HOLD_SECS: i64 = 24 * 3600;

pub struct RegistrationForm {
    pub username: String,
    pub email: String,
    pub password: String,
    pub password_confirm: String,
    /// A solved proof-of-work challenge, when the form was asked for one.
    pub proof: Option<String>,
    /// "I accept the terms" was ticked.
    pub accept_terms: bool,
}

/// The form's fields by every rule at once (each broken one is reported beside its field): the
/// username and password rules and the address rules; then the terms' tick-box. `invited_email`:
/// the address is the invitation's, whatever the form says.
pub fn checked_form(
    state: &AppState,
    form: &RegistrationForm,
    invited_email: Option<&str>,
) -> Result<ValidRegistration, AppError> {
    let settings = &state.settings;
    let email = invited_email.unwrap_or(&form.email);
    let valid = validate::registration(
        &form.username,
        email,
        &form.password,
        &form.password_confirm,
        &settings.site_name.0,
        settings.password_min_length,
    );
    let mut errors: Vec<FieldError> = valid
        .as_ref()
        .err()
        .into_iter()
        .flatten()
        .map(|&(field, problem)| FieldError {
            field,
            message: problem.sentence(),
        })
        .collect();
    if let Ok(email) = validate::email(email) {
        if let Some(message) = registration_policy::address_refusal(settings, &email) {
            errors.push(FieldError {
                field: Field::Email,
                message,
            });
        }
    }
    match valid {
        Ok(_) if !errors.is_empty() => Err(AppError::Validation(errors)),
        Ok(_) if registration_policy::terms(settings).is_some() && !form.accept_terms => {
            Err(AppError::TermsNotAccepted)
        }
        Ok(valid) => Ok(valid),
        Err(_) => Err(AppError::Validation(errors)),
    }
}

/// The terms version a registration that passed [`checked_form`] accepted.
pub fn accepted_terms(state: &AppState) -> Option<&str> {
    registration_policy::terms(&state.settings).map(|terms| terms.version)
}

/// Creates the unverified account, its code flow and the queued mail in one transaction, and
/// returns the flow's token (the browser's session keeps it; the code works only from there).
///
/// An address that already has an account gets the very same answer (and a decoy flow), while its
/// owner is told by mail: the form never reveals which addresses are registered. Usernames are
/// public by nature, so a taken one is reported, after the same limits, proof of work and hashing
/// as any registration.
pub async fn register(state: &AppState, client: &Client, form: RegistrationForm) -> Result<String, AppError> {
    let settings = &state.settings;
    match settings.registration {
        RegistrationMode::Open => {}
        RegistrationMode::Invite => return Err(AppError::InvitationRequired),
        RegistrationMode::Closed => return Err(AppError::RegistrationClosed),
    }
    let valid = checked_form(state, &form, None)?;
    let now = state.clock.now();
    let registrations = bucket::registrations(&client.limit_key());
    let checks = [
        LimitCheck {
            bucket: registrations.clone(),
            limit: settings.register_per_ip,
        },
        LimitCheck {
            bucket: bucket::mail_to(&valid.email),
            limit: settings.mail_per_address,
        },
        LimitCheck {
            bucket: bucket::daily_mail_to(&valid.email),
            limit: settings.mail_per_address_daily,
        },
        LimitCheck {
            bucket: bucket::all_mail(),
            limit: settings.mail_per_instance,
        },
    ];
    let proof = super::checked_proof(
        state,
        client,
        RefusalKind::Registration,
        form.proof.as_deref(),
        now,
    );
    let proof_gate = ProofGate {
        bucket: &registrations,
        after: settings.pow_after_registrations,
        window_secs: settings.register_per_ip.window_secs(),
        proof: proof.as_ref(),
    };
    let request = LimitRequest {
        now,
        checks: &checks,
        proof_gate: Some(proof_gate),
    };
    if let Err(refusal) = state.store.take_limits(request).await? {
        return Err(super::refused(
            state,
            client,
            RefusalKind::Registration,
            refusal,
            now,
        ));
    }
    // Hashing runs before the taken-address branch, so both branches cost the same time.
    let password_hash = state.hasher.hash(valid.password).await?;

    let flow_token = keys::random_token();
    let code = codes::mint(&state.server_key, CodePurpose::Registration, &flow_token);
    let now = state.clock.now();
    let created = state
        .store
        .create_registration(NewRegistration {
            username: &valid.username,
            email: &valid.email,
            password_hash: &password_hash,
            flow_token: &flow_token,
            code: &code,
            username_held_since: now - UNVERIFIED_HOLD_SECS,
            terms_version: accepted_terms(state),
            client,
            now,
        })
        .await?;
    if created == RegistrationCreated::UsernameTaken {
        return Err(AppError::on_field(Field::Username, t("field-username-taken")));
    }
    metrics::registration("started");
    email_code::await_first_delivery(state, CodePurpose::Registration, &flow_token).await?;
    Ok(flow_token)
}
