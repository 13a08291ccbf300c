//! Registration, password recovery and address changes: the emailed-code flows (`email_codes`),
//! the accounts they make or change, and their queued mail.

use async_trait::async_trait;

use crate::server::domain::{CodeFlow, CodePurpose, NewRegistration, RecoveryAccount};

/// An open flow with what the operations need beyond the page's view of it.
pub struct FlowRow {
    pub code_id: i64,
    pub user_id: Option<i64>,
    pub code_hash: Option<Vec<u8>>,
    pub flow: CodeFlow,
}

#[async_trait]
pub trait EmailCodeStatements {
    /// The flow `flow_token` names while its code can still be entered.
    async fn code_flow_row(
        &mut self,
        purpose: CodePurpose,
        flow_token: &str,
    ) -> sqlx::Result<Option<FlowRow>>;
    /// Locks that flow's row until the transaction ends.
    async fn lock_code_flow(&mut self, purpose: CodePurpose, flow_token: &str) -> sqlx::Result<()>;
    /// A new flow's row (its mail is queued separately); its id.
    async fn insert_code_flow(
        &mut self,
        purpose: CodePurpose,
        flow_token: &str,
        user_id: Option<i64>,
        email: &str,
        code_hash: &[u8],
        now: i64,
    ) -> sqlx::Result<i64>;
    async fn count_wrong_code(&mut self, code_id: i64) -> sqlx::Result<()>;
    /// The code is used up: it can never be entered again.
    async fn use_code(&mut self, code_id: i64, now: i64) -> sqlx::Result<()>;
    async fn finish_code_flow(&mut self, code_id: i64, now: i64) -> sqlx::Result<()>;
    /// A new code for the flow, its attempts and its lifetime starting afresh.
    async fn renew_code(&mut self, code_id: i64, code_hash: &[u8], now: i64) -> sqlx::Result<()>;
    /// The kind and recipient of the flow's first mail.
    async fn first_mail_of_flow(&mut self, code_id: i64) -> sqlx::Result<Option<(String, String)>>;
    async fn delete_unsent_mail_of_flow(&mut self, code_id: i64) -> sqlx::Result<()>;
    /// The open registration flow of an unverified account.
    async fn registration_flow_of(&mut self, user_id: i64) -> sqlx::Result<Option<String>>;
    /// Frees what unverified registrations hold: `email` (or its `stand_in` address) at once,
    /// `username` once held since before `held_since`.
    async fn free_unverified(
        &mut self,
        email: &str,
        stand_in: &str,
        username: &str,
        held_since: i64,
    ) -> sqlx::Result<()>;
    async fn username_taken(&mut self, username: &str) -> sqlx::Result<bool>;
    async fn address_taken(&mut self, email: &str) -> sqlx::Result<bool>;
    async fn address_taken_by_another(&mut self, email: &str, user_id: i64) -> sqlx::Result<bool>;
    /// An unverified account holding `email`; its id.
    async fn insert_user(&mut self, new: &NewRegistration<'_>, email: &str) -> sqlx::Result<i64>;
    /// Marks the account verified if it holds `email` (a stand-in never does).
    async fn verify_user(&mut self, user_id: i64, email: &str, now: i64) -> sqlx::Result<()>;
    async fn set_email(&mut self, user_id: i64, email: &str) -> sqlx::Result<()>;
    /// The verified account a username or an address names: its id and address.
    async fn recoverable_account(&mut self, identifier: &str) -> sqlx::Result<Option<(i64, String)>>;
    /// Deletes the unfinished recovery flows to `email` (of `user_id`, or of no account), their
    /// mail first: the outbox worker locks a mail, then its flow, and this takes them in that order.
    async fn void_recovery_flows(&mut self, user_id: Option<i64>, email: &str) -> sqlx::Result<()>;
    /// The account of a recovery flow whose code was entered after `verified_after`, still open.
    async fn verified_recovery(
        &mut self,
        flow_token: &str,
        verified_after: i64,
    ) -> sqlx::Result<Option<RecoveryAccount>>;
    /// Finishes that flow; its account, or `None` if it was used or went stale meanwhile.
    async fn finish_recovery_flow(
        &mut self,
        flow_token: &str,
        verified_after: i64,
        now: i64,
    ) -> sqlx::Result<Option<i64>>;
    /// Sets the password and lifts the lock and the account's failure count; its username and
    /// address.
    async fn reset_password(&mut self, user_id: i64, password_hash: &str) -> sqlx::Result<(String, String)>;
    async fn delete_open_email_changes(&mut self, user_id: i64) -> sqlx::Result<()>;
    /// Ends the account's open recovery and address-change flows, deleting their unsent mail first
    /// (in the outbox worker's order, as above).
    async fn end_open_flows(&mut self, user_id: i64, now: i64) -> sqlx::Result<()>;
}

for_both_databases! {
    impl EmailCodeStatements {
        async fn code_flow_row(
            &mut self,
            purpose: CodePurpose,
            flow_token: &str,
        ) -> sqlx::Result<Option<FlowRow>> {
            let purpose = purpose.as_str();
            let row = query!(
                r#"select code_id as "code_id!", user_id, email, code_hash, code_sent_at, code_expires_at,
                          code_failed_attempts, total_failed_attempts, last_requested_at,
                          (select attempts from email_outbox o where o.code_id = c.code_id and o.sent_at is null
                           order by outbox_id desc limit 1) as "unsent_delivery_failures?: i64"
                   from email_codes c
                   where flow_token = $1 and purpose = $2 and verified_at is null and finished_at is null"#,
                flow_token,
                purpose
            )
            .fetch_optional(self)
            .await?;
            Ok(row.map(|row| FlowRow {
                code_id: row.code_id,
                user_id: row.user_id,
                code_hash: row.code_hash,
                flow: CodeFlow {
                    email: row.email,
                    code_sent_at: row.code_sent_at,
                    code_expires_at: row.code_expires_at,
                    code_failed_attempts: row.code_failed_attempts,
                    total_failed_attempts: row.total_failed_attempts,
                    last_requested_at: row.last_requested_at,
                    unsent_delivery_failures: row.unsent_delivery_failures,
                },
            }))
        }

        async fn lock_code_flow(&mut self, purpose: CodePurpose, flow_token: &str) -> sqlx::Result<()> {
            on_database!(
                // The transaction holds the database's only write lock from its start.
                sqlite: {
                    let _ = (purpose, flow_token);
                    Ok(())
                },
                postgres: {
                    let purpose = purpose.as_str();
                    query_scalar!(
                        "select code_id from email_codes
                         where flow_token = $1 and purpose = $2 and verified_at is null and finished_at is null
                         for update",
                        flow_token,
                        purpose
                    )
                    .fetch_optional(self)
                    .await?;
                    Ok(())
                }
            )
        }

        async fn insert_code_flow(
            &mut self,
            purpose: CodePurpose,
            flow_token: &str,
            user_id: Option<i64>,
            email: &str,
            code_hash: &[u8],
            now: i64,
        ) -> sqlx::Result<i64> {
            let purpose = purpose.as_str();
            query_scalar!(
                r#"insert into email_codes (flow_token, purpose, user_id, email, code_hash, last_requested_at, created_at)
                   values ($1, $2, $3, $4, $5, $6, $7) returning code_id as "code_id!""#,
                flow_token,
                purpose,
                user_id,
                email,
                code_hash,
                now,
                now
            )
            .fetch_one(self)
            .await
        }

        async fn count_wrong_code(&mut self, code_id: i64) -> sqlx::Result<()> {
            query!(
                "update email_codes set code_failed_attempts = code_failed_attempts + 1,
                        total_failed_attempts = total_failed_attempts + 1
                 where code_id = $1",
                code_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn use_code(&mut self, code_id: i64, now: i64) -> sqlx::Result<()> {
            query!(
                "update email_codes set verified_at = $1, code_hash = null where code_id = $2",
                now,
                code_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn finish_code_flow(&mut self, code_id: i64, now: i64) -> sqlx::Result<()> {
            query!(
                "update email_codes set finished_at = $1 where code_id = $2",
                now,
                code_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn renew_code(&mut self, code_id: i64, code_hash: &[u8], now: i64) -> sqlx::Result<()> {
            query!(
                "update email_codes set code_hash = $1, code_sent_at = null, code_expires_at = null, code_failed_attempts = 0,
                        codes_issued = codes_issued + 1, last_requested_at = $2
                 where code_id = $3",
                code_hash,
                now,
                code_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn first_mail_of_flow(&mut self, code_id: i64) -> sqlx::Result<Option<(String, String)>> {
            let first = query!(
                "select kind, recipient from email_outbox where code_id = $1 order by outbox_id limit 1",
                code_id
            )
            .fetch_optional(self)
            .await?;
            Ok(first.map(|first| (first.kind, first.recipient)))
        }

        async fn delete_unsent_mail_of_flow(&mut self, code_id: i64) -> sqlx::Result<()> {
            query!(
                "delete from email_outbox where code_id = $1 and sent_at is null",
                code_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn registration_flow_of(&mut self, user_id: i64) -> sqlx::Result<Option<String>> {
            query_scalar!(
                "select flow_token from email_codes
                 where user_id = $1 and purpose = 'registration' and verified_at is null and finished_at is null
                 order by code_id desc limit 1",
                user_id
            )
            .fetch_optional(self)
            .await
        }

        async fn free_unverified(
            &mut self,
            email: &str,
            stand_in: &str,
            username: &str,
            held_since: i64,
        ) -> sqlx::Result<()> {
            query!(
                "delete from users
                 where verified_at is null and (email = $1 or email = $2 or (username = $3 and created_at < $4))",
                email,
                stand_in,
                username,
                held_since
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn username_taken(&mut self, username: &str) -> sqlx::Result<bool> {
            let count = query_scalar!(
                r#"select count(*) as "count!" from users where username = $1"#,
                username
            )
            .fetch_one(self)
            .await?;
            Ok(count > 0)
        }

        async fn address_taken(&mut self, email: &str) -> sqlx::Result<bool> {
            let count = query_scalar!(
                r#"select count(*) as "count!" from users where email = $1"#,
                email
            )
            .fetch_one(self)
            .await?;
            Ok(count > 0)
        }

        async fn address_taken_by_another(&mut self, email: &str, user_id: i64) -> sqlx::Result<bool> {
            let count = query_scalar!(
                r#"select count(*) as "count!" from users where email = $1 and user_id != $2"#,
                email,
                user_id
            )
            .fetch_one(self)
            .await?;
            Ok(count > 0)
        }

        async fn insert_user(&mut self, new: &NewRegistration<'_>, email: &str) -> sqlx::Result<i64> {
            let terms_accepted_at = new.terms_version.map(|_| new.now);
            let language = new.client.language.code();
            query_scalar!(
                r#"insert into users (username, email, password_hash, created_at, terms_version, terms_accepted_at, language)
                   values ($1, $2, $3, $4, $5, $6, $7)
                   returning user_id as "user_id!""#,
                new.username,
                email,
                new.password_hash,
                new.now,
                new.terms_version,
                terms_accepted_at,
                language
            )
            .fetch_one(self)
            .await
        }

        async fn verify_user(&mut self, user_id: i64, email: &str, now: i64) -> sqlx::Result<()> {
            query!(
                "update users set verified_at = $1 where user_id = $2 and email = $3 and verified_at is null",
                now,
                user_id,
                email
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn set_email(&mut self, user_id: i64, email: &str) -> sqlx::Result<()> {
            query!("update users set email = $1 where user_id = $2", email, user_id)
                .execute(self)
                .await?;
            Ok(())
        }

        async fn recoverable_account(&mut self, identifier: &str) -> sqlx::Result<Option<(i64, String)>> {
            let account = query!(
                r#"select user_id as "user_id!", email from users
                   where (username = $1 or email = $1) and verified_at is not null"#,
                identifier
            )
            .fetch_optional(self)
            .await?;
            Ok(account.map(|account| (account.user_id, account.email)))
        }

        async fn end_open_flows(&mut self, user_id: i64, now: i64) -> sqlx::Result<()> {
            query!(
                "delete from email_outbox where sent_at is null and code_id in
                   (select code_id from email_codes
                    where user_id = $1 and purpose in ('recovery', 'email_change') and finished_at is null)",
                user_id
            )
            .execute(&mut *self)
            .await?;
            query!(
                "update email_codes set finished_at = $1
                 where user_id = $2 and purpose in ('recovery', 'email_change') and finished_at is null",
                now,
                user_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn void_recovery_flows(&mut self, user_id: Option<i64>, email: &str) -> sqlx::Result<()> {
            query!(
                "delete from email_outbox where code_id in (select code_id from email_codes where purpose = 'recovery' and finished_at is null and user_id is not distinct from $1 and email = $2)",
                user_id,
                email
            )
            .execute(&mut *self)
            .await?;
            query!(
                "delete from email_codes where purpose = 'recovery' and finished_at is null and user_id is not distinct from $1 and email = $2",
                user_id,
                email
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn verified_recovery(
            &mut self,
            flow_token: &str,
            verified_after: i64,
        ) -> sqlx::Result<Option<RecoveryAccount>> {
            query_as!(
                RecoveryAccount,
                r#"select u.user_id as "user_id!", u.username, u.email, u.password_hash
                   from email_codes c join users u on u.user_id = c.user_id
                   where c.flow_token = $1 and c.purpose = 'recovery' and c.verified_at > $2 and c.finished_at is null"#,
                flow_token,
                verified_after
            )
            .fetch_optional(self)
            .await
        }

        async fn finish_recovery_flow(
            &mut self,
            flow_token: &str,
            verified_after: i64,
            now: i64,
        ) -> sqlx::Result<Option<i64>> {
            let user_id = query_scalar!(
                "update email_codes set finished_at = $1
                 where flow_token = $2 and purpose = 'recovery' and verified_at > $3 and finished_at is null
                 returning user_id",
                now,
                flow_token,
                verified_after
            )
            .fetch_optional(self)
            .await?;
            Ok(user_id.flatten())
        }

        async fn reset_password(&mut self, user_id: i64, password_hash: &str) -> sqlx::Result<(String, String)> {
            let account = query!(
                "update users set password_hash = $1, failed_sign_ins = 0, locked_at = null, unlock_token_hash = null,
                        unlock_expires_at = null
                 where user_id = $2 returning username, email",
                password_hash,
                user_id
            )
            .fetch_one(self)
            .await?;
            Ok((account.username, account.email))
        }

        async fn delete_open_email_changes(&mut self, user_id: i64) -> sqlx::Result<()> {
            query!(
                "delete from email_codes where purpose = 'email_change' and user_id = $1 and finished_at is null",
                user_id
            )
            .execute(self)
            .await?;
            Ok(())
        }
    }
}
