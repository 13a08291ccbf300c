//! Invitations: an admin (in the console or on the command line) invites an address; the mailed
//! link opens `/register` with that address fixed, and registering from it makes a verified
//! account in the invitation's groups. Links work in every registration mode, once.

use crate::i18n::{t, t_with};
use crate::{
    api::registration::InvitationView,
    error::AppError,
    server::{
        client::Client,
        domain::{
            InvitationActor, InvitationChange, InvitationLink, InvitationRefusal, InvitationRow,
            InvitedRegistration, InvitedRegistrationOutcome, LimitCheck, LimitRequest, NewInvitation,
        },
        keys::new_nonce,
        metrics, registration_policy,
        state::AppState,
        throttle::bucket,
    },
    validate::{self, Field},
};

/// How long a link works unless the admin says otherwise.
pub const DEFAULT_DAYS: i64 = 7;
pub const MAX_DAYS: i64 = 90;

/// An invitation as the console's form (or the command line) gives it: groups separated by
/// commas or spaces, the days as typed (empty: [`DEFAULT_DAYS`]).
pub struct InvitationRequest<'a> {
    pub email: &'a str,
    pub groups: &'a str,
    pub days: &'a str,
}

pub struct SentInvitation {
    pub email: String,
    /// The link the mail carries (the command line prints it).
    pub link: String,
}

/// The registration page's address for a link's token.
pub fn link(state: &AppState, token: &str) -> String {
    format!("{}/register?invitation={token}", state.public_origin())
}

pub async fn invite(
    state: &AppState,
    request: &InvitationRequest<'_>,
    by: InvitationActor<'_>,
) -> Result<SentInvitation, AppError> {
    let email = validate::email(request.email)
        .map_err(|problem| AppError::on_field(Field::Email, problem.sentence()))?;
    if let Some(refusal) = registration_policy::address_refusal(&state.settings, &email) {
        return Err(AppError::on_field(Field::Email, refusal));
    }
    let groups = request
        .groups
        .split([',', ' ', '\n'])
        .filter(|name| !name.trim().is_empty())
        .map(|name| {
            validate::group_name(name)
                .map_err(|problem| AppError::on_field(Field::GroupName, problem.sentence()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let days = match request.days.trim() {
        "" => DEFAULT_DAYS,
        typed => typed
            .parse()
            .ok()
            .filter(|days| (1..=MAX_DAYS).contains(days))
            .ok_or_else(|| {
                AppError::on_field(
                    Field::InvitationDays,
                    t_with("field-invitation-days", &[("max", MAX_DAYS.into())]),
                )
            })?,
    };
    let (nonce, token) = new_link(state);
    let token_hash = state.server_key.link_token_hash(&token);
    let new = NewInvitation {
        email: &email,
        groups: &groups,
        link: InvitationLink {
            nonce: &nonce,
            token_hash: &token_hash,
        },
        expires_at: by.now + days * 86_400,
        by,
    };
    state.store.invite(new).await?.map_err(refused)?;
    state.outbox_wake.notify_one();
    Ok(SentInvitation {
        link: link(state, &token),
        email,
    })
}

/// Sends a pending invitation again with a new link (the old one stops working), lasting
/// [`DEFAULT_DAYS`] from now; the invited address.
pub async fn resend(
    state: &AppState,
    invitation_id: i64,
    by: InvitationActor<'_>,
) -> Result<String, AppError> {
    let (nonce, token) = new_link(state);
    let token_hash = state.server_key.link_token_hash(&token);
    let change = InvitationChange::Resend {
        invitation_id,
        link: InvitationLink {
            nonce: &nonce,
            token_hash: &token_hash,
        },
        expires_at: by.now + DEFAULT_DAYS * 86_400,
    };
    let email = state
        .store
        .change_invitation(change, by)
        .await?
        .map_err(refused)?;
    state.outbox_wake.notify_one();
    Ok(email)
}

pub async fn revoke(
    state: &AppState,
    invitation_id: i64,
    by: InvitationActor<'_>,
) -> Result<String, AppError> {
    let change = InvitationChange::Revoke { invitation_id };
    state.store.change_invitation(change, by).await?.map_err(refused)
}

pub async fn pending(state: &AppState) -> Result<Vec<InvitationRow>, AppError> {
    Ok(state.store.pending_invitations(state.clock.now()).await?)
}

/// What the registration page shows for a link: its address, or the one sentence for every link
/// that does not work.
pub async fn open(state: &AppState, token: &str) -> Result<InvitationView, AppError> {
    let invitation = state
        .store
        .invitation(&token_hash(state, token), state.clock.now())
        .await?
        .ok_or(AppError::InvitationInvalid)?;
    Ok(InvitationView {
        email: invitation.email,
    })
}

/// A registration from a link: the username and password are checked as any registration's, the
/// address is the invitation's. No code is mailed: the link proved the mailbox.
pub async fn register(
    state: &AppState,
    client: &Client,
    form: &super::registration::RegistrationForm,
    token: &str,
) -> Result<(), AppError> {
    let settings = &state.settings;
    let token_hash = token_hash(state, token);
    let invitation = state
        .store
        .invitation(&token_hash, state.clock.now())
        .await?
        .ok_or(AppError::InvitationInvalid)?;
    let valid = super::registration::checked_form(state, form, Some(&invitation.email))?;
    let terms_version = super::registration::accepted_terms(state);
    let now = state.clock.now();
    let checks = [LimitCheck {
        bucket: bucket::registrations(&client.limit_key()),
        limit: settings.register_per_ip,
    }];
    let request = LimitRequest {
        now,
        checks: &checks,
        proof_gate: None,
    };
    if let Err(refusal) = state.store.take_limits(request).await? {
        return Err(super::refused(
            state,
            client,
            crate::server::audit::RefusalKind::Registration,
            refusal,
            now,
        ));
    }
    let password_hash = state.hasher.hash(valid.password).await?;
    let now = state.clock.now();
    let outcome = state
        .store
        .register_invited(InvitedRegistration {
            token_hash: &token_hash,
            username: &valid.username,
            password_hash: &password_hash,
            terms_version,
            username_held_since: now - super::registration::UNVERIFIED_HOLD_SECS,
            client,
            now,
        })
        .await?;
    match outcome {
        InvitedRegistrationOutcome::Created(_) => {
            metrics::registration("invited");
            Ok(())
        }
        InvitedRegistrationOutcome::InvalidInvitation => Err(AppError::InvitationInvalid),
        InvitedRegistrationOutcome::UsernameTaken => {
            Err(AppError::on_field(Field::Username, t("field-username-taken")))
        }
        InvitedRegistrationOutcome::AddressInUse => {
            Err(AppError::on_field(Field::Email, t("field-email-in-use-sign-in")))
        }
    }
}

fn new_link(state: &AppState) -> (Vec<u8>, String) {
    let nonce = new_nonce();
    let token = state.server_key.derive_link_token(&nonce);
    (nonce, token)
}

fn token_hash(state: &AppState, token: &str) -> Vec<u8> {
    state
        .server_key
        .link_token_hash(&token.trim().to_ascii_lowercase())
}

fn refused(refusal: InvitationRefusal) -> AppError {
    match refusal {
        InvitationRefusal::AddressInUse => AppError::on_field(Field::Email, t("field-email-in-use")),
        InvitationRefusal::NoSuchGroup(name) => AppError::on_field(
            Field::GroupName,
            t_with("field-no-such-group", &[("name", name.into())]),
        ),
        InvitationRefusal::NotPending => AppError::NoSuchInvitation,
    }
}
