use serde::{Deserialize, Serialize};

/// What the signed-in user sees about their own account on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub username: String,
    pub email: String,
    /// Unix seconds, UTC.
    pub created_at: i64,
    /// The sign-in before the current one, if any (unix seconds, UTC).
    pub previous_login_at: Option<i64>,
    pub two_factor_on: bool,
    /// The groups an admin put the account in (what apps behind forward-auth are told).
    pub groups: Vec<String>,
}

/// One signed-in browser of the user, for the dashboard's session list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: i64,
    /// "Firefox on Linux".
    pub device: String,
    pub ip: String,
    pub signed_in_at: i64,
    pub last_seen_at: i64,
    /// The session this page was loaded in.
    pub current: bool,
}

/// One entry of the dashboard's "recent activity" (the user's own security events).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub at: i64,
    pub description: String,
    pub ip: String,
    pub device: String,
    /// "success", "failure" or "refused".
    pub outcome: String,
}

/// What an emailed 6-digit code proves: one mechanism, one table, one set of rules, one page
/// component, for each of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum CodePurpose {
    /// A new account's address.
    Registration,
    /// A forgotten password: the code lets this browser set a new one.
    Recovery,
    /// A new address for a signed-in account.
    EmailChange,
}

impl CodePurpose {
    pub const ALL: [CodePurpose; 3] = [
        CodePurpose::Registration,
        CodePurpose::Recovery,
        CodePurpose::EmailChange,
    ];

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<CodePurpose> {
        CodePurpose::ALL
            .into_iter()
            .find(|purpose| purpose.as_str() == text)
    }

    /// The catalogue's key for its name.
    pub fn label(self) -> &'static str {
        match self {
            CodePurpose::Registration => "console-purpose-registration",
            CodePurpose::Recovery => "console-purpose-recovery",
            CodePurpose::EmailChange => "console-purpose-email-change",
        }
    }

    /// The page where this purpose's code is entered.
    pub fn page(self) -> &'static str {
        match self {
            CodePurpose::Registration => "/verify",
            CodePurpose::Recovery => "/recover/verify",
            CodePurpose::EmailChange => "/account/email/verify",
        }
    }

    /// Where "start again" leads.
    pub fn start_page(self) -> &'static str {
        match self {
            CodePurpose::Registration => "/register",
            CodePurpose::Recovery => "/recover",
            CodePurpose::EmailChange => "/account",
        }
    }
}

/// The state of the code this browser is waiting for, as the code page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationStatus {
    /// The address with most of its local part hidden, e.g. `a•••e@example.com`; `None` when the
    /// user asked by username (showing the address would tell whether the username exists).
    pub masked_email: Option<String>,
    pub code: CodeState,
    /// Seconds until a new code may be requested; 0 means now.
    pub resend_in_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeState {
    /// The mail is queued and has not reached the mail server yet; `delivery_failures` > 0
    /// means the mail server refused or was unreachable and the outbox is retrying.
    Sending {
        delivery_failures: u32,
    },
    /// The code is out and valid for `seconds_left` more seconds (server time).
    Sent {
        seconds_left: u64,
        attempts_left: u32,
    },
    Expired,
    /// Too many wrong guesses for this code.
    Locked,
}

/// What the account page shows and offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSettings {
    pub username: String,
    pub email: String,
    /// The password was entered on this device within the last minutes: sensitive changes may
    /// go ahead without asking for it again.
    pub password_entered_recently: bool,
}

/// An app the user allowed to sign them in; the account page lists them and withdraws any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllowedApp {
    pub client_id: String,
    pub name: String,
    /// The scopes allowed, space-separated (`openid email`).
    pub scope: String,
    pub allowed_at: i64,
}

/// A registered app, as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminClient {
    pub client_id: String,
    pub name: String,
    /// "public", "confidential", or "confidential, PKCE optional".
    pub kind: String,
    pub consent: String,
    pub groups: Vec<String>,
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
}

/// The console's apps page; `new_secret` (client id, secret) is shown once, after an add or a rotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminClientList {
    pub clients: Vec<AdminClient>,
    pub provider_on: bool,
    pub password_entered_recently: bool,
    pub new_secret: Option<(String, String)>,
}

/// The consent page: which app asks, who is signed in, and what the app will receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentView {
    pub app_name: String,
    pub username: String,
    pub receives: Vec<String>,
}

/// The page that sends a browser on to an app once a form led there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContinueView {
    pub app_name: String,
    pub url: String,
}

/// Password rules that depend on the server's configuration, for the register page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub min_length: usize,
}

/// `1764000000` → `2025-11-24 16:00 UTC` (the console's and the logs' form; pages for people use
/// `i18n::Language::date_time`).
pub fn utc_timestamp(unix_secs: i64) -> String {
    let crate::i18n::CivilTime {
        year,
        month,
        day,
        hour,
        minute,
    } = crate::i18n::CivilTime::of(unix_secs);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02} UTC")
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_utc_timestamps() {
        assert_eq!(super::utc_timestamp(0), "1970-01-01 00:00 UTC");
        assert_eq!(super::utc_timestamp(1_764_000_000), "2025-11-24 16:00 UTC");
        assert_eq!(super::utc_timestamp(951_782_400), "2000-02-29 00:00 UTC");
    }
}

/// What the account's security page shows about two-factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorStatus {
    /// When two-factor was turned on (unix seconds, UTC); `None` while it is off.
    pub enabled_at: Option<i64>,
    pub recovery_codes_left: i64,
    /// The password was entered on this device lately: the setup may be shown.
    pub password_entered_recently: bool,
    /// An enrolment waiting for its first code: the secret to put into the app.
    pub setup: Option<TotpSetup>,
    /// Recovery codes just made, shown until the user says they are saved.
    pub new_recovery_codes: Vec<String>,
    /// The operator requires two-factor of every account.
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpSetup {
    /// The secret in base 32, in groups of four, for typing by hand.
    pub grouped_secret: String,
    /// The same secret as a QR code (an `otpauth://` URL), as inline SVG made on the server.
    pub qr_svg: String,
    /// The `otpauth://` URL itself, for an authenticator app on the same device.
    pub app_link: String,
}

/// The admin console's overview: accounts by state, and what happened today (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub accounts: i64,
    pub unverified: i64,
    pub locked: i64,
    pub disabled: i64,
    pub admins: i64,
    pub two_factor: i64,
    pub codes_sent_today: i64,
    pub sign_ins_today: i64,
    pub failed_sign_ins_today: i64,
    pub refusals_today: i64,
    /// The last 30 days (UTC), oldest first, today last.
    pub days: Vec<DayActivity>,
}

/// What happened on one UTC day, for the overview's chart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayActivity {
    /// The day's first second (unix, UTC).
    pub start: i64,
    pub registrations: i64,
    pub verifications: i64,
    pub failed_codes: i64,
    pub sign_ins: i64,
    pub refusals: i64,
}

/// Where an account stands, as the admin console shows it (the first that holds, in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountState {
    Disabled,
    Locked,
    Unverified,
    Active,
}

impl AccountState {
    /// The catalogue's key for its name.
    pub fn label(self) -> &'static str {
        match self {
            AccountState::Disabled => "console-disabled",
            AccountState::Locked => "console-locked",
            AccountState::Unverified => "console-unverified",
            AccountState::Active => "console-active",
        }
    }
}

/// One account as the admin console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUser {
    pub user_id: i64,
    pub username: String,
    pub email: String,
    pub state: AccountState,
    pub admin: bool,
    pub two_factor: bool,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

/// One page of the admin console's user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserPage {
    pub users: Vec<AdminUser>,
    /// The username to continue after, when there is a next page.
    pub next_after: Option<String>,
}

/// One account's page in the admin console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserDetail {
    pub user: AdminUser,
    pub sessions: Vec<SessionView>,
    pub events: Vec<ActivityEntry>,
    /// The account's latest emailed codes.
    pub codes: Vec<AdminCode>,
    /// The account is the viewing admin's own.
    pub own_account: bool,
    /// The admin entered the password recently enough to act without entering it again.
    pub password_entered_recently: bool,
    /// The account's groups, and every group there is (to add it to one).
    pub groups: Vec<String>,
    pub all_groups: Vec<String>,
}

/// A group as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminGroup {
    pub name: String,
    pub description: String,
    pub members: i64,
    pub created_at: i64,
}

/// The console's groups page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminGroupList {
    pub groups: Vec<AdminGroup>,
    pub password_entered_recently: bool,
}

/// One group's page: the group and its members (`user_id`, username, email).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminGroupDetail {
    pub group: AdminGroup,
    pub members: Vec<(i64, String, String)>,
    pub password_entered_recently: bool,
}

/// The security log's filters as the console's form sends them; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFilter {
    pub kind: String,
    /// The account's username or email address.
    pub account: String,
    /// The acting admin's username or email address.
    pub actor: String,
    pub ip: String,
    /// First and last day (UTC), `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
}

impl EventFilter {
    /// The filter from a query string's fields, by name.
    pub fn from_fields(field: impl Fn(&str) -> String) -> EventFilter {
        EventFilter {
            kind: field("kind"),
            account: field("account"),
            actor: field("actor"),
            ip: field("ip"),
            from: field("from"),
            to: field("to"),
        }
    }
}

/// The code log's filters as the console's form sends them; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeFilter {
    /// "registration", "recovery" or "email_change".
    pub purpose: String,
    /// "verified", "expired", "pending" or "failed".
    pub state: String,
    /// The account's username or email address.
    pub account: String,
    /// First and last day (UTC) the flow began, `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
}

impl CodeFilter {
    /// The filter from a query string's fields, by name.
    pub fn from_fields(field: impl Fn(&str) -> String) -> CodeFilter {
        CodeFilter {
            purpose: field("purpose"),
            state: field("state"),
            account: field("account"),
            from: field("from"),
            to: field("to"),
        }
    }
}

/// One emailed-code flow in the console's code log: what happened to it, never the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCode {
    pub code_id: i64,
    pub purpose: String,
    /// "Verified", "Expired", "Locked", "Waiting for its mail" or "Waiting for the code".
    pub state: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub email: String,
    pub issued_at: i64,
    /// Codes sent in this flow: the first and each resend.
    pub codes_issued: i64,
    pub sent_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub verified_at: Option<i64>,
    pub failed_attempts: i64,
    pub total_failed_attempts: i64,
    /// Delivery of the flow's latest mail: failed attempts, when the mail server took it, the last
    /// mail-server error.
    pub mail_attempts: Option<i64>,
    pub mail_sent_at: Option<i64>,
    pub mail_error: Option<String>,
}

/// One page of the console's code log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCodePage {
    pub codes: Vec<AdminCode>,
    /// The code id to continue before, when there is a next page.
    pub next_before: Option<i64>,
}

/// One security event in the console's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminEvent {
    pub event_id: i64,
    pub at: i64,
    pub kind: String,
    pub description: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub actor_id: Option<i64>,
    pub actor: Option<String>,
    pub ip: String,
    pub device: String,
    pub outcome: String,
}

/// One page of the console's security log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminEventPage {
    pub events: Vec<AdminEvent>,
    /// The event id to continue before, when there is a next page.
    pub next_before: Option<i64>,
    /// Every kind of event: (kind, description), for the filter.
    pub kinds: Vec<(String, String)>,
}

/// What an admin can do to an account from its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum AdminAction {
    Disable,
    Enable,
    Unlock,
    EndSessions,
    GrantAdmin,
    RevokeAdmin,
    ResetTwoFactor,
    Delete,
    ResendVerification,
    SendRecoveryCode,
}

impl AdminAction {
    pub const ALL: [AdminAction; 10] = [
        AdminAction::ResendVerification,
        AdminAction::SendRecoveryCode,
        AdminAction::Disable,
        AdminAction::Enable,
        AdminAction::Unlock,
        AdminAction::EndSessions,
        AdminAction::GrantAdmin,
        AdminAction::RevokeAdmin,
        AdminAction::ResetTwoFactor,
        AdminAction::Delete,
    ];

    /// The name in forms and links (`?confirm=disable`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<AdminAction> {
        AdminAction::ALL
            .into_iter()
            .find(|action| action.as_str() == text)
    }

    /// The catalogue's key for its name.
    pub fn label(self) -> &'static str {
        match self {
            AdminAction::Disable => "console-action-disable",
            AdminAction::Enable => "console-action-enable",
            AdminAction::Unlock => "console-action-unlock",
            AdminAction::EndSessions => "console-action-end-sessions",
            AdminAction::GrantAdmin => "console-action-grant-admin",
            AdminAction::RevokeAdmin => "console-action-revoke-admin",
            AdminAction::ResetTwoFactor => "console-action-reset-two-factor",
            AdminAction::Delete => "console-action-delete",
            AdminAction::ResendVerification => "console-action-resend-verification",
            AdminAction::SendRecoveryCode => "console-action-send-recovery-code",
        }
    }

    /// The catalogue's key for what confirming it does, in a sentence for the confirmation.
    pub fn consequence(self) -> &'static str {
        match self {
            AdminAction::Disable => "console-action-disable-consequence",
            AdminAction::Enable => "console-action-enable-consequence",
            AdminAction::Unlock => "console-action-unlock-consequence",
            AdminAction::EndSessions => "console-action-end-sessions-consequence",
            AdminAction::GrantAdmin => "console-action-grant-admin-consequence",
            AdminAction::RevokeAdmin => "console-action-revoke-admin-consequence",
            AdminAction::ResetTwoFactor => "console-action-reset-two-factor-consequence",
            AdminAction::ResendVerification => "console-action-resend-verification-consequence",
            AdminAction::SendRecoveryCode => "console-action-send-recovery-code-consequence",
            AdminAction::Delete => "console-action-delete-consequence",
        }
    }

    /// Whether it applies to an account in this state.
    pub fn applies_to(self, user: &AdminUser) -> bool {
        match self {
            AdminAction::Disable => user.state != AccountState::Disabled,
            AdminAction::Enable => user.state == AccountState::Disabled,
            AdminAction::Unlock => user.state == AccountState::Locked,
            AdminAction::EndSessions => true,
            AdminAction::GrantAdmin => !user.admin,
            AdminAction::RevokeAdmin => user.admin,
            AdminAction::ResetTwoFactor => user.two_factor,
            AdminAction::Delete => true,
            AdminAction::ResendVerification => user.state == AccountState::Unverified,
            AdminAction::SendRecoveryCode => {
                matches!(user.state, AccountState::Active | AccountState::Locked)
            }
        }
    }

    /// Actions an admin may not take on their own account.
    pub fn allowed_on_own_account(self) -> bool {
        matches!(self, AdminAction::Unlock | AdminAction::EndSessions)
    }
}
