//! Passkeys and the state of their ceremonies.

use async_trait::async_trait;

use crate::server::domain::{Ceremony, CeremonyPurpose, PasskeyRow, TakenCeremony};

#[async_trait]
pub trait PasskeyStatements {
    /// The account's passkeys, oldest first.
    async fn passkeys_of(&mut self, user_id: i64) -> sqlx::Result<Vec<PasskeyRow>>;
    async fn passkey_by_credential(&mut self, credential_id: &[u8]) -> sqlx::Result<Option<PasskeyRow>>;
    async fn count_passkeys(&mut self, user_id: i64) -> sqlx::Result<i64>;
    /// False when the credential is registered already (to any account).
    async fn insert_passkey(
        &mut self,
        user_id: i64,
        credential_id: &[u8],
        name: &str,
        credential: &str,
        now: i64,
    ) -> sqlx::Result<bool>;
    /// The passkey's old name; none if the account has no such passkey.
    async fn rename_passkey(
        &mut self,
        user_id: i64,
        passkey_id: i64,
        name: &str,
    ) -> sqlx::Result<Option<String>>;
    /// The removed passkey's name; none if the account had no such passkey.
    async fn delete_passkey(&mut self, user_id: i64, passkey_id: i64) -> sqlx::Result<Option<String>>;
    /// An admin's reset of the account's second factors; how many there were.
    async fn delete_passkeys_of(&mut self, user_id: i64) -> sqlx::Result<u64>;
    /// After a use: the credential's new counter and backup flags. False when the passkey was
    /// removed meanwhile.
    async fn note_passkey_used(
        &mut self,
        user_id: i64,
        passkey_id: i64,
        credential: &str,
        now: i64,
    ) -> sqlx::Result<bool>;
    async fn insert_ceremony(&mut self, ceremony: &Ceremony<'_>) -> sqlx::Result<()>;
    /// The ceremony's state, deleted as it is read: the first request to take it is the only one.
    async fn take_ceremony(
        &mut self,
        token_hash: &[u8],
        purpose: CeremonyPurpose,
        now: i64,
    ) -> sqlx::Result<Option<TakenCeremony>>;
}

for_both_databases! {
    impl PasskeyStatements {
        async fn passkeys_of(&mut self, user_id: i64) -> sqlx::Result<Vec<PasskeyRow>> {
            query_as!(
                PasskeyRow,
                r#"select passkey_id as "passkey_id!", user_id, name, credential, created_at, last_used_at
                   from passkeys where user_id = $1 order by passkey_id"#,
                user_id
            )
            .fetch_all(self)
            .await
        }

        async fn passkey_by_credential(&mut self, credential_id: &[u8]) -> sqlx::Result<Option<PasskeyRow>> {
            query_as!(
                PasskeyRow,
                r#"select passkey_id as "passkey_id!", user_id, name, credential, created_at, last_used_at
                   from passkeys where credential_id = $1"#,
                credential_id
            )
            .fetch_optional(self)
            .await
        }

        async fn count_passkeys(&mut self, user_id: i64) -> sqlx::Result<i64> {
            query_scalar!(
                r#"select count(*) as "count!" from passkeys where user_id = $1"#,
                user_id
            )
            .fetch_one(self)
            .await
        }

        async fn insert_passkey(
            &mut self,
            user_id: i64,
            credential_id: &[u8],
            name: &str,
            credential: &str,
            now: i64,
        ) -> sqlx::Result<bool> {
            let inserted = query!(
                "insert into passkeys (user_id, credential_id, name, credential, created_at)
                 values ($1, $2, $3, $4, $5) on conflict (credential_id) do nothing",
                user_id,
                credential_id,
                name,
                credential,
                now
            )
            .execute(self)
            .await?;
            Ok(inserted.rows_affected() == 1)
        }

        async fn rename_passkey(&mut self, user_id: i64, passkey_id: i64, name: &str) -> sqlx::Result<Option<String>> {
            let old = query_scalar!(
                "select name from passkeys where user_id = $1 and passkey_id = $2",
                postgres_lock: "for update",
                user_id,
                passkey_id
            )
            .fetch_optional(&mut *self)
            .await?;
            query!(
                "update passkeys set name = $1 where user_id = $2 and passkey_id = $3",
                name,
                user_id,
                passkey_id
            )
            .execute(self)
            .await?;
            Ok(old)
        }

        async fn delete_passkey(&mut self, user_id: i64, passkey_id: i64) -> sqlx::Result<Option<String>> {
            query_scalar!(
                "delete from passkeys where user_id = $1 and passkey_id = $2 returning name",
                user_id,
                passkey_id
            )
            .fetch_optional(self)
            .await
        }

        async fn delete_passkeys_of(&mut self, user_id: i64) -> sqlx::Result<u64> {
            Ok(query!("delete from passkeys where user_id = $1", user_id)
                .execute(self)
                .await?
                .rows_affected())
        }

        async fn note_passkey_used(
            &mut self,
            user_id: i64,
            passkey_id: i64,
            credential: &str,
            now: i64,
        ) -> sqlx::Result<bool> {
            let updated = query!(
                "update passkeys set credential = $1, last_used_at = $2 where user_id = $3 and passkey_id = $4",
                credential,
                now,
                user_id,
                passkey_id
            )
            .execute(self)
            .await?;
            Ok(updated.rows_affected() == 1)
        }

        async fn insert_ceremony(&mut self, ceremony: &Ceremony<'_>) -> sqlx::Result<()> {
            let purpose = ceremony.purpose.as_str();
            query!(
                "insert into passkey_ceremonies (ceremony_hash, purpose, user_id, state, expires_at)
                 values ($1, $2, $3, $4, $5)",
                ceremony.token_hash,
                purpose,
                ceremony.user_id,
                ceremony.state,
                ceremony.expires_at
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn take_ceremony(
            &mut self,
            token_hash: &[u8],
            purpose: CeremonyPurpose,
            now: i64,
        ) -> sqlx::Result<Option<TakenCeremony>> {
            let purpose = purpose.as_str();
            query_as!(
                TakenCeremony,
                "delete from passkey_ceremonies where ceremony_hash = $1 and purpose = $2 and expires_at >= $3
                 returning user_id as \"user_id?\", state",
                token_hash,
                purpose,
                now
            )
            .fetch_optional(self)
            .await
        }
    }
}
