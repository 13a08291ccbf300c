//! The provider's rules that read before they write: a code is redeemed once and a refresh token
//! exchanged once (a second use revokes everything minted since the code), and clients, grants
//! and signing keys change with their security events.

use super::{
    statements::{NewToken, Statements, TokenKind},
    AuditEntry, ClientAction, ClientChange, ClientRefusal, CodeExchange, CodeRedemption, EventKind,
    GrantChange, MintedTokens, Outcome, RefreshOutcome, SigningKeyRow, TokenRefresh, OFFLINE_ACCESS,
};
use crate::server::{
    client::Client,
    domain::{pkce_matches, scope_has},
};

pub(super) async fn redeem_code(
    conn: &mut impl Statements,
    exchange: &CodeExchange<'_>,
    client: &Client,
) -> sqlx::Result<CodeRedemption> {
    let Some((code, redeemed_at)) = conn.lock_oidc_code(exchange.code_hash).await? else {
        return Ok(CodeRedemption::Refused);
    };
    if code.client_id != exchange.client_id {
        return Ok(CodeRedemption::Refused);
    }
    if redeemed_at.is_some() {
        conn.delete_oidc_token_family(&code.family).await?;
        replayed(conn, code.user_id, &code.client_id, client, exchange.now).await?;
        return Ok(CodeRedemption::Replayed {
            user_id: code.user_id,
        });
    }
    // Burnt by any exchange from its own client, right or wrong: a code is tried once.
    conn.mark_oidc_code_redeemed(exchange.code_hash, exchange.now)
        .await?;
    let verifier_matches = match (&code.code_challenge, exchange.code_verifier) {
        (Some(challenge), Some(verifier)) => pkce_matches(challenge, verifier),
        (None, None) => true,
        _ => false,
    };
    if code.expires_at <= exchange.now || code.redirect_uri != exchange.redirect_uri || !verifier_matches {
        return Ok(CodeRedemption::Refused);
    }
    let refresh = scope_has(&code.scope, OFFLINE_ACCESS);
    let grant = Grant {
        family: &code.family,
        client_id: &code.client_id,
        user_id: code.user_id,
        scope: &code.scope,
        auth_time: code.auth_time,
        amr: &code.amr,
    };
    mint(conn, &grant, &exchange.tokens, refresh).await?;
    Ok(CodeRedemption::Redeemed {
        code: Box::new(code),
        refresh,
    })
}

pub(super) async fn refresh(
    conn: &mut impl Statements,
    refresh: &TokenRefresh<'_>,
    client: &Client,
) -> sqlx::Result<RefreshOutcome> {
    let Some((token, used_at)) = conn
        .lock_oidc_token(refresh.refresh_hash, TokenKind::Refresh)
        .await?
    else {
        return Ok(RefreshOutcome::Refused);
    };
    if token.client_id != refresh.client_id {
        return Ok(RefreshOutcome::Refused);
    }
    if used_at.is_some() {
        conn.delete_oidc_token_family(&token.family).await?;
        replayed(conn, token.user_id, &token.client_id, client, refresh.now).await?;
        return Ok(RefreshOutcome::Replayed {
            user_id: token.user_id,
        });
    }
    if token.expires_at <= refresh.now {
        return Ok(RefreshOutcome::Refused);
    }
    conn.mark_oidc_token_used(refresh.refresh_hash, refresh.now)
        .await?;
    let grant = Grant {
        family: &token.family,
        client_id: &token.client_id,
        user_id: token.user_id,
        scope: &token.scope,
        auth_time: token.auth_time,
        amr: &token.amr,
    };
    mint(conn, &grant, &refresh.tokens, true).await?;
    Ok(RefreshOutcome::Refreshed(token))
}

struct Grant<'a> {
    family: &'a str,
    client_id: &'a str,
    user_id: i64,
    scope: &'a str,
    auth_time: i64,
    amr: &'a str,
}

async fn mint(
    conn: &mut impl Statements,
    grant: &Grant<'_>,
    tokens: &MintedTokens<'_>,
    with_refresh: bool,
) -> sqlx::Result<()> {
    let mut minted = vec![(TokenKind::Access, tokens.access_hash, tokens.access_expires_at)];
    if with_refresh {
        minted.push((TokenKind::Refresh, tokens.refresh_hash, tokens.refresh_expires_at));
    }
    for (kind, token_hash, expires_at) in minted {
        let token = NewToken {
            token_hash,
            kind,
            family: grant.family,
            client_id: grant.client_id,
            user_id: grant.user_id,
            scope: grant.scope,
            auth_time: grant.auth_time,
            amr: grant.amr,
            expires_at,
        };
        conn.insert_oidc_token(&token).await?;
    }
    Ok(())
}

async fn replayed(
    conn: &mut impl Statements,
    user_id: i64,
    client_id: &str,
    client: &Client,
    now: i64,
) -> sqlx::Result<()> {
    let entry = AuditEntry {
        detail: Some(client_id),
        ..AuditEntry::new(
            EventKind::OidcTokenReplayed,
            Outcome::Failure,
            Some(user_id),
            Some(client),
            now,
        )
    };
    conn.insert_event(&entry).await
}

pub(super) async fn change_client(
    conn: &mut impl Statements,
    change: &ClientChange<'_>,
) -> sqlx::Result<Result<(), ClientRefusal>> {
    let (kind, client_id) = match &change.action {
        ClientAction::Add(client) => {
            if !conn.insert_oidc_client(client).await? {
                return Ok(Err(ClientRefusal::IdTaken));
            }
            (EventKind::OidcClientAdded, client.client_id.as_str())
        }
        ClientAction::Remove { client_id } => {
            if conn.delete_oidc_client(client_id).await? == 0 {
                return Ok(Err(ClientRefusal::NoSuchClient));
            }
            (EventKind::OidcClientRemoved, *client_id)
        }
        ClientAction::RotateSecret {
            client_id,
            secret_hash,
        } => {
            if conn.set_oidc_client_secret(client_id, secret_hash).await? == 0 {
                let exists = conn.oidc_client(client_id).await?.is_some();
                return Ok(Err(if exists {
                    ClientRefusal::PublicClient
                } else {
                    ClientRefusal::NoSuchClient
                }));
            }
            (EventKind::OidcClientSecretRotated, *client_id)
        }
    };
    let entry = AuditEntry {
        actor_id: change.actor_id,
        detail: Some(client_id),
        ..AuditEntry::new(kind, Outcome::Success, None, change.client, change.now)
    };
    conn.insert_event(&entry).await?;
    Ok(Ok(()))
}

/// Records (or withdraws) what a user allowed an app; withdrawing ends its tokens at once.
pub(super) async fn change_grant(conn: &mut impl Statements, change: &GrantChange<'_>) -> sqlx::Result<bool> {
    let kind = match change.scope {
        Some(scope) => {
            let before = conn.oidc_grant(change.user_id, change.client_id).await?;
            conn.upsert_oidc_grant(change.user_id, change.client_id, scope, change.now)
                .await?;
            if before.as_deref() == Some(scope) {
                return Ok(true);
            }
            EventKind::OidcAppAllowed
        }
        None => {
            let revoked = conn.delete_oidc_grant(change.user_id, change.client_id).await?;
            conn.delete_oidc_tokens_for(change.user_id, change.client_id)
                .await?;
            if revoked == 0 {
                return Ok(false);
            }
            EventKind::OidcAppRevoked
        }
    };
    let entry = AuditEntry {
        detail: Some(change.client_id),
        ..AuditEntry::new(
            kind,
            Outcome::Success,
            Some(change.user_id),
            Some(change.client),
            change.now,
        )
    };
    conn.insert_event(&entry).await?;
    Ok(true)
}

/// Makes `key` the current signing key: at first start only when there is none (`rotate` false;
/// false when another instance made one first), on rotation in place of the current one.
pub(super) async fn add_signing_key(
    conn: &mut impl Statements,
    key: &SigningKeyRow,
    rotate: bool,
) -> sqlx::Result<bool> {
    if rotate {
        conn.retire_signing_key(key.created_at).await?;
    }
    if !conn.insert_signing_key(key).await? {
        return Ok(false);
    }
    if rotate {
        let entry = AuditEntry {
            detail: Some(&key.key_id),
            ..AuditEntry::new(
                EventKind::OidcSigningKeyRotated,
                Outcome::Success,
                None,
                None,
                key.created_at,
            )
        };
        conn.insert_event(&entry).await?;
    }
    Ok(true)
}

/// RFC 7009: the token (access or refresh) and everything of its family end; another client's
/// token, or an unknown one, changes nothing.
pub(super) async fn revoke(
    conn: &mut impl Statements,
    token_hash: &[u8],
    client_id: &str,
) -> sqlx::Result<()> {
    for kind in [TokenKind::Refresh, TokenKind::Access] {
        if let Some((token, _)) = conn.lock_oidc_token(token_hash, kind).await? {
            if token.client_id == client_id {
                conn.delete_oidc_token_family(&token.family).await?;
            }
            return Ok(());
        }
    }
    Ok(())
}
