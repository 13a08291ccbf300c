//! The admin console's reads, and its actions on accounts.

use async_trait::async_trait;

use crate::server::domain::{
    AdminCounts, CodeQuery, DailyCount, EventQuery, LoggedCode, LoggedEvent, UserOrder, UserQuery,
    UserSummary,
};

#[async_trait]
pub trait AdminStatements {
    /// The account a username or an address names (any state).
    async fn user_id_of(&mut self, identifier: &str) -> sqlx::Result<Option<i64>>;
    async fn admin_counts(&mut self, since: i64) -> sqlx::Result<AdminCounts>;
    async fn daily_activity(&mut self, since: i64) -> sqlx::Result<Vec<DailyCount>>;
    async fn find_users(&mut self, query: &UserQuery) -> sqlx::Result<Vec<UserSummary>>;
    async fn user_summary(&mut self, user_id: i64) -> sqlx::Result<Option<UserSummary>>;
    async fn find_codes(&mut self, query: &CodeQuery) -> sqlx::Result<Vec<LoggedCode>>;
    async fn find_events(&mut self, query: &EventQuery) -> sqlx::Result<Vec<LoggedEvent>>;
    // Each action's statement answers how many rows it changed.
    async fn disable_user(&mut self, user_id: i64, now: i64) -> sqlx::Result<u64>;
    async fn enable_user(&mut self, user_id: i64) -> sqlx::Result<u64>;
    async fn unlock_user(&mut self, user_id: i64) -> sqlx::Result<u64>;
    async fn delete_sessions_of(&mut self, user_id: i64) -> sqlx::Result<u64>;
    async fn grant_admin(&mut self, user_id: i64) -> sqlx::Result<u64>;
    async fn revoke_admin(&mut self, user_id: i64) -> sqlx::Result<u64>;
    async fn delete_factors_of(&mut self, user_id: i64) -> sqlx::Result<u64>;
}

for_both_databases! {
    impl AdminStatements {
        async fn user_id_of(&mut self, identifier: &str) -> sqlx::Result<Option<i64>> {
            query_scalar!(
                r#"select user_id as "user_id!" from users where username = $1 or email = $1"#,
                identifier
            )
            .fetch_optional(&mut *self)
            .await
        }

        async fn admin_counts(&mut self, since: i64) -> sqlx::Result<AdminCounts> {
            query_as!(
                AdminCounts,
                r#"select (select count(*) from users) as "accounts!: i64",
                          (select count(*) from users where verified_at is null) as "unverified!: i64",
                          (select count(*) from users where locked_at is not null) as "locked!: i64",
                          (select count(*) from users where disabled_at is not null) as "disabled!: i64",
                          (select count(*) from users where role = 'admin') as "admins!: i64",
                          (select count(*) from second_factor_accounts) as "two_factor!: i64",
                          (select count(*) from email_outbox where kind = 'code' and sent_at >= $1) as "codes_sent!: i64",
                          (select count(*) from security_events where kind = 'sign_in' and at >= $1) as "sign_ins!: i64",
                          (select count(*) from security_events where kind = 'sign_in_failed' and at >= $1)
                              as "failed_sign_ins!: i64",
                          (select cast(coalesce(sum(count), 0) as bigint) from refusals where last_at >= $1) as "refusals!: i64""#,
                since
            )
            .fetch_one(&mut *self)
            .await
        }

        async fn daily_activity(&mut self, since: i64) -> sqlx::Result<Vec<DailyCount>> {
            query_as!(
                DailyCount,
                r#"select at / 86400 as "day!: i64", kind as "kind!", count(*) as "count!: i64"
                   from security_events
                   where at >= $1 and kind in ('registration', 'code_verified', 'code_failed', 'sign_in')
                   group by at / 86400, kind
                   union all
                   select window_start / 86400, 'refused', cast(sum(count) as bigint)
                   from refusals where window_start >= $1
                   group by window_start / 86400"#,
                since
            )
            .fetch_all(&mut *self)
            .await
        }

        // Two statements, one per order, so that each walks its index (the username's, the primary key).
        async fn find_users(&mut self, query: &UserQuery) -> sqlx::Result<Vec<UserSummary>> {
            let state = query.state.as_str();
            match &query.order {
                UserOrder::Username { after } => {
                    query_as!(
                        UserSummary,
                        r#"select u.user_id as "user_id!", u.username, u.email, u.role, u.created_at, u.verified_at,
                          u.last_login_at, u.locked_at, u.disabled_at,
                          exists (select 1 from second_factor_accounts f where f.user_id = u.user_id)
                              as "two_factor!: bool"
                   from users u
                   where u.username > $1
                     and ($2 = '' or substr(u.username, 1, length($2)) = $2 or substr(u.email, 1, length($2)) = $2)
                     and case $3
                           when 'unverified' then u.verified_at is null
                           when 'active' then u.verified_at is not null and u.locked_at is null and u.disabled_at is null
                           when 'locked' then u.locked_at is not null
                           when 'disabled' then u.disabled_at is not null
                           when 'admin' then u.role = 'admin'
                           when 'two_factor_on' then exists (select 1 from second_factor_accounts f where f.user_id = u.user_id)
                           when 'two_factor_off' then not exists (select 1 from second_factor_accounts f where f.user_id = u.user_id)
                           else true
                         end
                   order by u.username
                   limit $4"#,
                        after,
                        query.prefix,
                        state,
                        query.limit
                    )
                    .fetch_all(&mut *self)
                    .await
                }
                UserOrder::Newest { before } => {
                    query_as!(
                        UserSummary,
                        r#"select u.user_id as "user_id!", u.username, u.email, u.role, u.created_at, u.verified_at,
                          u.last_login_at, u.locked_at, u.disabled_at,
                          exists (select 1 from second_factor_accounts f where f.user_id = u.user_id)
                              as "two_factor!: bool"
                   from users u
                   where u.user_id < $1
                     and ($2 = '' or substr(u.username, 1, length($2)) = $2 or substr(u.email, 1, length($2)) = $2)
                     and case $3
                           when 'unverified' then u.verified_at is null
                           when 'active' then u.verified_at is not null and u.locked_at is null and u.disabled_at is null
                           when 'locked' then u.locked_at is not null
                           when 'disabled' then u.disabled_at is not null
                           when 'admin' then u.role = 'admin'
                           when 'two_factor_on' then exists (select 1 from second_factor_accounts f where f.user_id = u.user_id)
                           when 'two_factor_off' then not exists (select 1 from second_factor_accounts f where f.user_id = u.user_id)
                           else true
                         end
                   order by u.user_id desc
                   limit $4"#,
                        before,
                        query.prefix,
                        state,
                        query.limit
                    )
                    .fetch_all(&mut *self)
                    .await
                }
            }
        }

        async fn user_summary(&mut self, user_id: i64) -> sqlx::Result<Option<UserSummary>> {
            query_as!(
                UserSummary,
                r#"select u.user_id as "user_id!", u.username, u.email, u.role, u.created_at, u.verified_at,
                          u.last_login_at, u.locked_at, u.disabled_at,
                          exists (select 1 from second_factor_accounts f where f.user_id = u.user_id)
                              as "two_factor!: bool"
                   from users u where u.user_id = $1"#,
                user_id
            )
            .fetch_optional(&mut *self)
            .await
        }

        async fn find_codes(&mut self, query: &CodeQuery) -> sqlx::Result<Vec<LoggedCode>> {
            query_as!(
                LoggedCode,
                r#"select c.code_id as "code_id!", c.purpose, c.user_id, u.username as "username?", c.email, c.created_at,
                          c.codes_issued, c.code_sent_at, c.code_expires_at, c.verified_at, c.finished_at,
                          c.code_failed_attempts, c.total_failed_attempts,
                          o.attempts as "mail_attempts?", o.sent_at as "mail_sent_at?", o.last_error as "mail_error?"
                   from email_codes c
                   left join users u on u.user_id = c.user_id
                   left join email_outbox o on o.outbox_id = (select max(outbox_id) from email_outbox where code_id = c.code_id)
                   where c.code_id < $1
                     and ($2 = '' or c.purpose = $2)
                     and (cast($3 as bigint) is null or c.user_id = $3)
                     and c.created_at >= $4 and c.created_at < $5
                     and case $6
                           when 'verified' then c.verified_at is not null
                           when 'expired' then c.verified_at is null and c.code_expires_at < $7
                           when 'pending' then c.verified_at is null and (c.code_expires_at is null or c.code_expires_at >= $7)
                           when 'failed' then c.total_failed_attempts > 0
                           else true
                         end
                   order by c.code_id desc
                   limit $8"#,
                query.before,
                query.purpose,
                query.user_id,
                query.from,
                query.until,
                query.state,
                query.now,
                query.limit
            )
            .fetch_all(&mut *self)
            .await
        }

        // Three shapes of one query, so that each uses its index: the account's events
        // (`security_events_user`), an admin's actions (`security_events_actor`), or everything (the
        // primary key), each newest first from `before`.
        async fn find_events(&mut self, query: &EventQuery) -> sqlx::Result<Vec<LoggedEvent>> {
            match (query.user_id, query.actor_id) {
                (Some(user_id), actor_id) => {
                    query_as!(
                        LoggedEvent,
                        r#"select e.event_id as "event_id!", e.at, e.kind, e.user_id, u.username as "username?", e.actor_id,
                                  a.username as "actor?", e.ip, e.user_agent, e.outcome, e.detail
                           from security_events e
                           left join users u on u.user_id = e.user_id
                           left join users a on a.user_id = e.actor_id
                           where e.user_id = $1 and e.event_id < $2
                             and ($3 = '' or e.kind = $3)
                             and (cast($4 as bigint) is null or e.actor_id = $4)
                             and ($5 = '' or e.ip = $5)
                             and e.at >= $6 and e.at < $7
                             and ($9 = '' or ($9 = 'success') = (e.outcome = 'success'))
                           order by e.event_id desc
                           limit $8"#,
                        user_id,
                        query.before,
                        query.kind,
                        actor_id,
                        query.ip,
                        query.from,
                        query.until,
                        query.limit,
                        query.outcome
                    )
                    .fetch_all(&mut *self)
                    .await
                }
                (None, Some(actor_id)) => {
                    query_as!(
                        LoggedEvent,
                        r#"select e.event_id as "event_id!", e.at, e.kind, e.user_id, u.username as "username?", e.actor_id,
                                  a.username as "actor?", e.ip, e.user_agent, e.outcome, e.detail
                           from security_events e
                           left join users u on u.user_id = e.user_id
                           left join users a on a.user_id = e.actor_id
                           where e.actor_id = $1 and e.event_id < $2
                             and ($3 = '' or e.kind = $3)
                             and ($4 = '' or e.ip = $4)
                             and e.at >= $5 and e.at < $6
                             and ($8 = '' or ($8 = 'success') = (e.outcome = 'success'))
                           order by e.event_id desc
                           limit $7"#,
                        actor_id,
                        query.before,
                        query.kind,
                        query.ip,
                        query.from,
                        query.until,
                        query.limit,
                        query.outcome
                    )
                    .fetch_all(&mut *self)
                    .await
                }
                (None, None) => {
                    query_as!(
                        LoggedEvent,
                        r#"select e.event_id as "event_id!", e.at, e.kind, e.user_id, u.username as "username?", e.actor_id,
                                  a.username as "actor?", e.ip, e.user_agent, e.outcome, e.detail
                           from security_events e
                           left join users u on u.user_id = e.user_id
                           left join users a on a.user_id = e.actor_id
                           where e.event_id < $1
                             and ($2 = '' or e.kind = $2)
                             and ($3 = '' or e.ip = $3)
                             and e.at >= $4 and e.at < $5
                             and ($7 = '' or ($7 = 'success') = (e.outcome = 'success'))
                           order by e.event_id desc
                           limit $6"#,
                        query.before,
                        query.kind,
                        query.ip,
                        query.from,
                        query.until,
                        query.limit,
                        query.outcome
                    )
                    .fetch_all(&mut *self)
                    .await
                }
            }
        }

        async fn disable_user(&mut self, user_id: i64, now: i64) -> sqlx::Result<u64> {
            let done = query!(
                "update users set disabled_at = $1 where user_id = $2 and disabled_at is null",
                now,
                user_id
            )
            .execute(self)
            .await?;
            Ok(done.rows_affected())
        }

        async fn enable_user(&mut self, user_id: i64) -> sqlx::Result<u64> {
            let done = query!(
                "update users set disabled_at = null where user_id = $1 and disabled_at is not null",
                user_id
            )
            .execute(self)
            .await?;
            Ok(done.rows_affected())
        }

        async fn unlock_user(&mut self, user_id: i64) -> sqlx::Result<u64> {
            let done = query!(
                "update users set locked_at = null, failed_sign_ins = 0, unlock_token_hash = null, unlock_expires_at = null
                 where user_id = $1",
                user_id
            )
            .execute(self)
            .await?;
            Ok(done.rows_affected())
        }

        async fn delete_sessions_of(&mut self, user_id: i64) -> sqlx::Result<u64> {
            let done = query!("delete from sessions where user_id = $1", user_id)
                .execute(self)
                .await?;
            Ok(done.rows_affected())
        }

        async fn grant_admin(&mut self, user_id: i64) -> sqlx::Result<u64> {
            let done = query!(
                "update users set role = 'admin' where user_id = $1 and role != 'admin'",
                user_id
            )
            .execute(self)
            .await?;
            Ok(done.rows_affected())
        }

        async fn revoke_admin(&mut self, user_id: i64) -> sqlx::Result<u64> {
            let done = query!(
                "update users set role = 'user' where user_id = $1 and role = 'admin'",
                user_id
            )
            .execute(self)
            .await?;
            Ok(done.rows_affected())
        }

        async fn delete_factors_of(&mut self, user_id: i64) -> sqlx::Result<u64> {
            let done = query!("delete from totp_factors where user_id = $1", user_id)
                .execute(self)
                .await?;
            Ok(done.rows_affected())
        }
    }
}
