//! `sessions`: the signed-in browsers of each account.

use async_trait::async_trait;

use crate::server::domain::{ForwardSession, NewSession, SessionRow};

#[async_trait]
pub trait SessionStatements {
    async fn insert_session(&mut self, session: &NewSession<'_>) -> sqlx::Result<()>;
    async fn session(&mut self, handle: &str) -> sqlx::Result<Option<SessionRow>>;
    /// The session whose forward-auth cookie hashes to `forward_token_hash`, with its account.
    async fn forward_session(&mut self, forward_token_hash: &[u8]) -> sqlx::Result<Option<ForwardSession>>;
    async fn touch_session(&mut self, session_id: i64, now: i64) -> sqlx::Result<()>;
    /// The account's sessions seen after `seen_after` and signed in after `signed_in_after`.
    async fn live_sessions(
        &mut self,
        user_id: i64,
        seen_after: i64,
        signed_in_after: i64,
    ) -> sqlx::Result<Vec<SessionRow>>;
    /// How many were deleted (0 or 1).
    async fn delete_session(&mut self, user_id: i64, session_id: i64) -> sqlx::Result<u64>;
    /// How many were deleted.
    async fn delete_sessions_but(&mut self, user_id: i64, keep_session_id: i64) -> sqlx::Result<u64>;
    async fn end_sessions_but_handle(&mut self, user_id: i64, keep_handle: &str) -> sqlx::Result<()>;
    /// The account whose session it was.
    async fn delete_session_by_handle(&mut self, handle: &str) -> sqlx::Result<Option<i64>>;
}

for_both_databases! {
    impl SessionStatements {
        async fn insert_session(&mut self, session: &NewSession<'_>) -> sqlx::Result<()> {
            let ip = session.client.ip.to_string();
            query!(
                "insert into sessions (handle, user_id, ip, user_agent, signed_in_at, last_seen_at, password_at,
                                       amr, forward_token_hash)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                session.handle,
                session.user_id,
                ip,
                session.client.user_agent,
                session.now,
                session.now,
                session.now,
                session.amr,
                session.forward_token_hash
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn session(&mut self, handle: &str) -> sqlx::Result<Option<SessionRow>> {
            query_as!(
                SessionRow,
                r#"select d.session_id as "session_id!", d.user_id, d.ip, d.user_agent, d.signed_in_at, d.last_seen_at,
                      d.password_at, u.role = 'admin' as "admin!: bool", d.amr, u.language
               from sessions d join users u on u.user_id = d.user_id where d.handle = $1"#,
                handle
            )
            .fetch_optional(self)
            .await
        }

        async fn forward_session(&mut self, forward_token_hash: &[u8]) -> sqlx::Result<Option<ForwardSession>> {
            query_as!(
                ForwardSession,
                sqlite: r#"select s.session_id as "session_id!", s.user_id, s.signed_in_at, s.last_seen_at,
                          u.role = 'admin' as "admin!: bool", s.amr, u.username, u.email, u.terms_version,
                          (select group_concat(name, ',') from
                              (select g.name from group_members m join user_groups g on g.group_id = m.group_id
                               where m.user_id = s.user_id order by g.name)) as "groups?: String"
                   from sessions s join users u on u.user_id = s.user_id
                   where s.forward_token_hash = $1"#,
                postgres: r#"select s.session_id as "session_id!", s.user_id, s.signed_in_at, s.last_seen_at,
                          u.role = 'admin' as "admin!: bool", s.amr, u.username, u.email, u.terms_version,
                          (select string_agg(g.name, ',' order by g.name)
                           from group_members m join user_groups g on g.group_id = m.group_id
                           where m.user_id = s.user_id) as "groups?: String"
                   from sessions s join users u on u.user_id = s.user_id
                   where s.forward_token_hash = $1"#,
                forward_token_hash
            )
            .fetch_optional(self)
            .await
        }

        async fn touch_session(&mut self, session_id: i64, now: i64) -> sqlx::Result<()> {
            query!(
                "update sessions set last_seen_at = $1 where session_id = $2",
                now,
                session_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn live_sessions(
            &mut self,
            user_id: i64,
            seen_after: i64,
            signed_in_after: i64,
        ) -> sqlx::Result<Vec<SessionRow>> {
            query_as!(
                SessionRow,
                r#"select d.session_id as "session_id!", d.user_id, d.ip, d.user_agent, d.signed_in_at, d.last_seen_at,
                      d.password_at, u.role = 'admin' as "admin!: bool", d.amr, u.language
               from sessions d join users u on u.user_id = d.user_id
               where d.user_id = $1 and d.last_seen_at > $2 and d.signed_in_at > $3
               order by d.last_seen_at desc, d.session_id desc"#,
                user_id,
                seen_after,
                signed_in_after
            )
            .fetch_all(self)
            .await
        }

        async fn delete_session(&mut self, user_id: i64, session_id: i64) -> sqlx::Result<u64> {
            let done = query!(
                "delete from sessions where user_id = $1 and session_id = $2",
                user_id,
                session_id
            )
            .execute(self)
            .await?;
            Ok(done.rows_affected())
        }

        async fn delete_sessions_but(&mut self, user_id: i64, keep_session_id: i64) -> sqlx::Result<u64> {
            let done = query!(
                "delete from sessions where user_id = $1 and session_id != $2",
                user_id,
                keep_session_id
            )
            .execute(self)
            .await?;
            Ok(done.rows_affected())
        }

        async fn end_sessions_but_handle(&mut self, user_id: i64, keep_handle: &str) -> sqlx::Result<()> {
            query!(
                "delete from sessions where user_id = $1 and handle != $2",
                user_id,
                keep_handle
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn delete_session_by_handle(&mut self, handle: &str) -> sqlx::Result<Option<i64>> {
            query_scalar!("delete from sessions where handle = $1 returning user_id", handle)
                .fetch_optional(self)
                .await
        }
    }
}
