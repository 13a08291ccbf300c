//! `oidc_clients`, `oidc_codes`, `oidc_tokens`, `oidc_grants` and `oidc_signing_keys`.

use async_trait::async_trait;

use crate::server::domain::{Consent, OidcClient, OidcCode, OidcGrant, OidcToken, SigningKeyRow};

/// A token about to be stored.
#[derive(Debug, Clone)]
pub struct NewToken<'a> {
    pub token_hash: &'a [u8],
    pub kind: TokenKind,
    pub family: &'a str,
    pub client_id: &'a str,
    pub user_id: i64,
    pub scope: &'a str,
    pub auth_time: i64,
    pub amr: &'a str,
    pub expires_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum TokenKind {
    Access,
    Refresh,
}

impl TokenKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[async_trait]
pub trait OidcStatements {
    async fn oidc_clients(&mut self) -> sqlx::Result<Vec<OidcClient>>;
    async fn oidc_client(&mut self, client_id: &str) -> sqlx::Result<Option<OidcClient>>;
    /// False when the id is taken.
    async fn insert_oidc_client(&mut self, client: &OidcClient) -> sqlx::Result<bool>;
    async fn delete_oidc_client(&mut self, client_id: &str) -> sqlx::Result<u64>;
    /// Replaces a confidential client's secret (a public one has none to replace).
    async fn set_oidc_client_secret(&mut self, client_id: &str, secret_hash: &[u8]) -> sqlx::Result<u64>;

    async fn insert_oidc_code(&mut self, code: &OidcCode) -> sqlx::Result<()>;
    /// The code and when it was redeemed, locked until the transaction ends.
    async fn lock_oidc_code(&mut self, code_hash: &[u8]) -> sqlx::Result<Option<(OidcCode, Option<i64>)>>;
    async fn mark_oidc_code_redeemed(&mut self, code_hash: &[u8], now: i64) -> sqlx::Result<()>;

    async fn insert_oidc_token(&mut self, token: &NewToken<'_>) -> sqlx::Result<()>;
    /// The token of `kind` and when it was used, locked until the transaction ends.
    async fn lock_oidc_token(
        &mut self,
        token_hash: &[u8],
        kind: TokenKind,
    ) -> sqlx::Result<Option<(OidcToken, Option<i64>)>>;
    async fn mark_oidc_token_used(&mut self, token_hash: &[u8], now: i64) -> sqlx::Result<()>;
    /// A live, unused token of `kind`.
    async fn live_oidc_token(
        &mut self,
        token_hash: &[u8],
        kind: TokenKind,
        now: i64,
    ) -> sqlx::Result<Option<OidcToken>>;
    async fn delete_oidc_token_family(&mut self, family: &str) -> sqlx::Result<u64>;
    /// Every token and code of the account (for every client).
    async fn delete_oidc_tokens_of(&mut self, user_id: i64) -> sqlx::Result<u64>;
    /// Every token and code of the account for one client.
    async fn delete_oidc_tokens_for(&mut self, user_id: i64, client_id: &str) -> sqlx::Result<u64>;

    async fn oidc_grant(&mut self, user_id: i64, client_id: &str) -> sqlx::Result<Option<String>>;
    async fn upsert_oidc_grant(
        &mut self,
        user_id: i64,
        client_id: &str,
        scope: &str,
        now: i64,
    ) -> sqlx::Result<()>;
    async fn delete_oidc_grant(&mut self, user_id: i64, client_id: &str) -> sqlx::Result<u64>;
    async fn oidc_grants_of(&mut self, user_id: i64) -> sqlx::Result<Vec<OidcGrant>>;

    /// The current key and those retired after `retired_after`, newest first.
    async fn signing_keys(&mut self, retired_after: i64) -> sqlx::Result<Vec<SigningKeyRow>>;
    /// False when another current key exists (another instance made one first).
    async fn insert_signing_key(&mut self, key: &SigningKeyRow) -> sqlx::Result<bool>;
    async fn retire_signing_key(&mut self, now: i64) -> sqlx::Result<u64>;
}

struct ClientRecord {
    client_id: String,
    name: String,
    secret_hash: Option<Vec<u8>>,
    redirect_uris: String,
    post_logout_uris: String,
    allowed_groups: String,
    consent: String,
    /// `required` or `optional`.
    pkce: String,
    created_at: i64,
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

impl From<ClientRecord> for OidcClient {
    fn from(record: ClientRecord) -> OidcClient {
        OidcClient {
            client_id: record.client_id,
            name: record.name,
            secret_hash: record.secret_hash,
            redirect_uris: lines(&record.redirect_uris),
            post_logout_uris: lines(&record.post_logout_uris),
            allowed_groups: lines(&record.allowed_groups),
            // The column's check allows only these two.
            consent: Consent::parse(&record.consent).unwrap_or(Consent::Explicit),
            pkce_optional: record.pkce == "optional",
            created_at: record.created_at,
        }
    }
}

struct CodeRecord {
    code_hash: Vec<u8>,
    client_id: String,
    user_id: i64,
    redirect_uri: String,
    scope: String,
    nonce: Option<String>,
    code_challenge: Option<String>,
    auth_time: i64,
    amr: String,
    family: String,
    expires_at: i64,
    redeemed_at: Option<i64>,
}

struct TokenRecord {
    family: String,
    client_id: String,
    user_id: i64,
    scope: String,
    auth_time: i64,
    amr: String,
    expires_at: i64,
    used_at: Option<i64>,
}

impl TokenRecord {
    fn split(self) -> (OidcToken, Option<i64>) {
        let token = OidcToken {
            family: self.family,
            client_id: self.client_id,
            user_id: self.user_id,
            scope: self.scope,
            auth_time: self.auth_time,
            amr: self.amr,
            expires_at: self.expires_at,
        };
        (token, self.used_at)
    }
}

for_both_databases! {
    impl OidcStatements {
        async fn oidc_clients(&mut self) -> sqlx::Result<Vec<OidcClient>> {
            let records = query_as!(
                ClientRecord,
                r#"select client_id as "client_id!", name, secret_hash, redirect_uris, post_logout_uris, allowed_groups,
                          consent, pkce, created_at
                   from oidc_clients order by client_id"#
            )
            .fetch_all(self)
            .await?;
            Ok(records.into_iter().map(OidcClient::from).collect())
        }

        async fn oidc_client(&mut self, client_id: &str) -> sqlx::Result<Option<OidcClient>> {
            let record = query_as!(
                ClientRecord,
                r#"select client_id as "client_id!", name, secret_hash, redirect_uris, post_logout_uris, allowed_groups,
                          consent, pkce, created_at
                   from oidc_clients where client_id = $1"#,
                client_id
            )
            .fetch_optional(self)
            .await?;
            Ok(record.map(OidcClient::from))
        }

        async fn insert_oidc_client(&mut self, client: &OidcClient) -> sqlx::Result<bool> {
            let redirect_uris = client.redirect_uris.join("\n");
            let post_logout_uris = client.post_logout_uris.join("\n");
            let allowed_groups = client.allowed_groups.join("\n");
            let consent = client.consent.as_str();
            let pkce = if client.pkce_optional { "optional" } else { "required" };
            let done = query!(
                "insert into oidc_clients (client_id, name, secret_hash, redirect_uris, post_logout_uris, allowed_groups,
                                           consent, pkce, created_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict do nothing",
                client.client_id,
                client.name,
                client.secret_hash,
                redirect_uris,
                post_logout_uris,
                allowed_groups,
                consent,
                pkce,
                client.created_at
            )
            .execute(self)
            .await?;
            Ok(done.rows_affected() > 0)
        }

        async fn delete_oidc_client(&mut self, client_id: &str) -> sqlx::Result<u64> {
            let done = query!("delete from oidc_clients where client_id = $1", client_id)
                .execute(self)
                .await?;
            Ok(done.rows_affected())
        }

        async fn set_oidc_client_secret(&mut self, client_id: &str, secret_hash: &[u8]) -> sqlx::Result<u64> {
            let done = query!(
                "update oidc_clients set secret_hash = $1 where client_id = $2 and secret_hash is not null",
                secret_hash,
                client_id
            )
            .execute(self)
            .await?;
            Ok(done.rows_affected())
        }

        async fn insert_oidc_code(&mut self, code: &OidcCode) -> sqlx::Result<()> {
            query!(
                "insert into oidc_codes (code_hash, client_id, user_id, redirect_uri, scope, nonce, code_challenge,
                                         auth_time, amr, family, expires_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                code.code_hash,
                code.client_id,
                code.user_id,
                code.redirect_uri,
                code.scope,
                code.nonce,
                code.code_challenge,
                code.auth_time,
                code.amr,
                code.family,
                code.expires_at
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn lock_oidc_code(&mut self, code_hash: &[u8]) -> sqlx::Result<Option<(OidcCode, Option<i64>)>> {
            let record = query_as!(
                CodeRecord,
                r#"select code_hash as "code_hash!", client_id, user_id, redirect_uri, scope, nonce, code_challenge,
                          auth_time, amr, family, expires_at, redeemed_at
                   from oidc_codes where code_hash = $1"#,
                postgres_lock: "for update",
                code_hash
            )
            .fetch_optional(self)
            .await?;
            Ok(record.map(|record| {
                let code = OidcCode {
                    code_hash: record.code_hash,
                    client_id: record.client_id,
                    user_id: record.user_id,
                    redirect_uri: record.redirect_uri,
                    scope: record.scope,
                    nonce: record.nonce,
                    code_challenge: record.code_challenge,
                    auth_time: record.auth_time,
                    amr: record.amr,
                    family: record.family,
                    expires_at: record.expires_at,
                };
                (code, record.redeemed_at)
            }))
        }

        async fn mark_oidc_code_redeemed(&mut self, code_hash: &[u8], now: i64) -> sqlx::Result<()> {
            query!("update oidc_codes set redeemed_at = $1 where code_hash = $2", now, code_hash)
                .execute(self)
                .await?;
            Ok(())
        }

        async fn insert_oidc_token(&mut self, token: &NewToken<'_>) -> sqlx::Result<()> {
            let kind = token.kind.as_str();
            query!(
                "insert into oidc_tokens (token_hash, kind, family, client_id, user_id, scope, auth_time, amr, expires_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                token.token_hash,
                kind,
                token.family,
                token.client_id,
                token.user_id,
                token.scope,
                token.auth_time,
                token.amr,
                token.expires_at
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn lock_oidc_token(
            &mut self,
            token_hash: &[u8],
            kind: TokenKind,
        ) -> sqlx::Result<Option<(OidcToken, Option<i64>)>> {
            let kind = kind.as_str();
            let record = query_as!(
                TokenRecord,
                "select family, client_id, user_id, scope, auth_time, amr, expires_at, used_at
                 from oidc_tokens where token_hash = $1 and kind = $2",
                postgres_lock: "for update",
                token_hash,
                kind
            )
            .fetch_optional(self)
            .await?;
            Ok(record.map(TokenRecord::split))
        }

        async fn mark_oidc_token_used(&mut self, token_hash: &[u8], now: i64) -> sqlx::Result<()> {
            query!("update oidc_tokens set used_at = $1 where token_hash = $2", now, token_hash)
                .execute(self)
                .await?;
            Ok(())
        }

        async fn live_oidc_token(&mut self, token_hash: &[u8], kind: TokenKind, now: i64) -> sqlx::Result<Option<OidcToken>> {
            let kind = kind.as_str();
            let record = query_as!(
                TokenRecord,
                "select family, client_id, user_id, scope, auth_time, amr, expires_at, used_at
                 from oidc_tokens where token_hash = $1 and kind = $2 and expires_at > $3 and used_at is null",
                token_hash,
                kind,
                now
            )
            .fetch_optional(self)
            .await?;
            Ok(record.map(|record| record.split().0))
        }

        async fn delete_oidc_token_family(&mut self, family: &str) -> sqlx::Result<u64> {
            let done = query!("delete from oidc_tokens where family = $1", family)
                .execute(self)
                .await?;
            Ok(done.rows_affected())
        }

        async fn delete_oidc_tokens_of(&mut self, user_id: i64) -> sqlx::Result<u64> {
            query!("delete from oidc_codes where user_id = $1", user_id)
                .execute(&mut *self)
                .await?;
            let done = query!("delete from oidc_tokens where user_id = $1", user_id)
                .execute(self)
                .await?;
            Ok(done.rows_affected())
        }

        async fn delete_oidc_tokens_for(&mut self, user_id: i64, client_id: &str) -> sqlx::Result<u64> {
            query!("delete from oidc_codes where user_id = $1 and client_id = $2", user_id, client_id)
                .execute(&mut *self)
                .await?;
            let done = query!("delete from oidc_tokens where user_id = $1 and client_id = $2", user_id, client_id)
                .execute(self)
                .await?;
            Ok(done.rows_affected())
        }

        async fn oidc_grant(&mut self, user_id: i64, client_id: &str) -> sqlx::Result<Option<String>> {
            query_scalar!(
                "select scope from oidc_grants where user_id = $1 and client_id = $2",
                user_id,
                client_id
            )
            .fetch_optional(self)
            .await
        }

        async fn upsert_oidc_grant(&mut self, user_id: i64, client_id: &str, scope: &str, now: i64) -> sqlx::Result<()> {
            query!(
                "insert into oidc_grants (user_id, client_id, scope, granted_at) values ($1, $2, $3, $4)
                 on conflict (user_id, client_id) do update set scope = excluded.scope, granted_at = excluded.granted_at",
                user_id,
                client_id,
                scope,
                now
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn delete_oidc_grant(&mut self, user_id: i64, client_id: &str) -> sqlx::Result<u64> {
            let done = query!(
                "delete from oidc_grants where user_id = $1 and client_id = $2",
                user_id,
                client_id
            )
            .execute(self)
            .await?;
            Ok(done.rows_affected())
        }

        async fn oidc_grants_of(&mut self, user_id: i64) -> sqlx::Result<Vec<OidcGrant>> {
            query_as!(
                OidcGrant,
                r#"select g.client_id as "client_id!", c.name as client_name, g.scope, g.granted_at
                   from oidc_grants g join oidc_clients c on c.client_id = g.client_id
                   where g.user_id = $1 order by c.name"#,
                user_id
            )
            .fetch_all(self)
            .await
        }

        async fn signing_keys(&mut self, retired_after: i64) -> sqlx::Result<Vec<SigningKeyRow>> {
            query_as!(
                SigningKeyRow,
                r#"select key_id as "key_id!", sealed_key, modulus, exponent, created_at, retired_at
                   from oidc_signing_keys where retired_at is null or retired_at > $1
                   order by created_at desc"#,
                retired_after
            )
            .fetch_all(self)
            .await
        }

        async fn insert_signing_key(&mut self, key: &SigningKeyRow) -> sqlx::Result<bool> {
            let done = query!(
                "insert into oidc_signing_keys (key_id, sealed_key, modulus, exponent, created_at)
                 values ($1, $2, $3, $4, $5) on conflict do nothing",
                key.key_id,
                key.sealed_key,
                key.modulus,
                key.exponent,
                key.created_at
            )
            .execute(self)
            .await?;
            Ok(done.rows_affected() > 0)
        }

        async fn retire_signing_key(&mut self, now: i64) -> sqlx::Result<u64> {
            let done = query!("update oidc_signing_keys set retired_at = $1 where retired_at is null", now)
                .execute(self)
                .await?;
            Ok(done.rows_affected())
        }
    }
}
