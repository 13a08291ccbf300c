//! Invitations: sending one (its mail and its event in the same transaction), sending it again
//! with a new link, revoking it, and the verified account a registration from its link makes.
//! A link works once on every database and instance: the registration claims the invitation with
//! one conditional update, and a parallel claim of the same row finds it used.

use super::{
    stand_in_address,
    statements::{NewMail, Statements},
    AuditEntry, EventKind, InvitationActor, InvitationChange, InvitationLink, InvitationRefusal,
    InvitedRegistration, InvitedRegistrationOutcome, MailKind, NewInvitation, NoticeDetails, Outcome,
};

pub(super) async fn invite(
    conn: &mut impl Statements,
    new: &NewInvitation<'_>,
) -> sqlx::Result<Result<i64, InvitationRefusal>> {
    conn.lock_keys(&[&format!("email:{}", new.email)]).await?;
    if conn.recoverable_account(new.email).await?.is_some() {
        return Ok(Err(InvitationRefusal::AddressInUse));
    }
    for name in new.groups {
        if conn.lock_group(name).await?.is_none() {
            return Ok(Err(InvitationRefusal::NoSuchGroup(name.clone())));
        }
    }
    let invitation_id = conn
        .insert_invitation(
            new.email,
            &new.groups.join("\n"),
            new.link.token_hash,
            new.by.actor_id,
            new.by.now,
            new.expires_at,
        )
        .await?;
    queue_mail(conn, new.email, new.link, new.expires_at, &new.by).await?;
    record(conn, EventKind::InvitationSent, new.email, &new.by).await?;
    Ok(Ok(invitation_id))
}

/// The invited address.
pub(super) async fn change(
    conn: &mut impl Statements,
    change: &InvitationChange<'_>,
    by: &InvitationActor<'_>,
) -> sqlx::Result<Result<String, InvitationRefusal>> {
    let invitation_id = match *change {
        InvitationChange::Resend { invitation_id, .. } | InvitationChange::Revoke { invitation_id } => {
            invitation_id
        }
    };
    let Some(email) = conn.lock_pending_invitation(invitation_id, by.now).await? else {
        return Ok(Err(InvitationRefusal::NotPending));
    };
    let kind = match *change {
        InvitationChange::Resend { link, expires_at, .. } => {
            conn.renew_invitation(invitation_id, link.token_hash, expires_at)
                .await?;
            queue_mail(conn, &email, link, expires_at, by).await?;
            EventKind::InvitationResent
        }
        InvitationChange::Revoke { .. } => {
            conn.revoke_invitation(invitation_id, by.now).await?;
            EventKind::InvitationRevoked
        }
    };
    record(conn, kind, &email, by).await?;
    Ok(Ok(email))
}

/// Writes nothing unless it answers `Created` (the caller commits only then).
pub(super) async fn register(
    conn: &mut impl Statements,
    registration: &InvitedRegistration<'_>,
) -> sqlx::Result<InvitedRegistrationOutcome> {
    let now = registration.now;
    let Some(invitation) = conn.claim_invitation(registration.token_hash, now).await? else {
        return Ok(InvitedRegistrationOutcome::InvalidInvitation);
    };
    let email = invitation.email.as_str();
    let (username_key, email_key) = (
        format!("username:{}", registration.username),
        format!("email:{email}"),
    );
    conn.lock_keys(&[&username_key, &email_key]).await?;
    // An unverified registration holding the address or (after its hold) the username gives way,
    // as it does to a registration by code.
    let held_since = registration.username_held_since;
    conn.free_unverified(email, &stand_in_address(email), registration.username, held_since)
        .await?;
    if conn.username_taken(registration.username).await? {
        return Ok(InvitedRegistrationOutcome::UsernameTaken);
    }
    if conn.address_taken(email).await? {
        return Ok(InvitedRegistrationOutcome::AddressInUse);
    }
    let user_id = conn
        .insert_verified_user(
            registration.username,
            email,
            registration.password_hash,
            registration.terms_version,
            now,
        )
        .await?;
    conn.set_invitation_account(invitation.invitation_id, user_id)
        .await?;
    conn.save_language(user_id, registration.client.language.code())
        .await?;
    let client = Some(registration.client);
    let event = |kind, detail| AuditEntry {
        detail,
        ..AuditEntry::new(kind, Outcome::Success, Some(user_id), client, now)
    };
    conn.insert_event(&event(EventKind::Registration, None)).await?;
    conn.insert_event(&event(EventKind::InvitationUsed, Some(email)))
        .await?;
    for name in invitation.group_names.lines() {
        let Some(group_id) = conn.lock_group(name).await? else {
            continue; // deleted since the invitation was sent
        };
        conn.add_group_member(group_id, user_id, now).await?;
        let joined = AuditEntry {
            actor_id: invitation.invited_by,
            ..event(EventKind::GroupMemberAdded, Some(name))
        };
        conn.insert_event(&joined).await?;
    }
    Ok(InvitedRegistrationOutcome::Created(user_id))
}

/// The invitation's mail, in the inviting admin's language (the address has no account yet; the
/// command line's is the site's default).
async fn queue_mail(
    conn: &mut impl Statements,
    email: &str,
    link: InvitationLink<'_>,
    expires_at: i64,
    by: &InvitationActor<'_>,
) -> sqlx::Result<()> {
    let now = by.now;
    let details = NoticeDetails {
        at: now,
        invitation_expires_at: Some(expires_at),
        language: by.client.map(|client| client.language.code().to_string()),
        ..NoticeDetails::default()
    }
    .json();
    let mail = NewMail {
        kind: MailKind::Invitation,
        secret_nonce: Some(link.nonce),
        details: Some(&details),
        ..NewMail::to(email, now)
    };
    conn.queue_mail(&mail).await
}

async fn record(
    conn: &mut impl Statements,
    kind: EventKind,
    email: &str,
    by: &InvitationActor<'_>,
) -> sqlx::Result<()> {
    let entry = AuditEntry {
        actor_id: by.actor_id,
        detail: Some(email),
        ..AuditEntry::new(kind, Outcome::Success, None, by.client, by.now)
    };
    conn.insert_event(&entry).await
}
