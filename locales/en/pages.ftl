# English: Gatehouse's words, and the model for every other catalogue. Each message may use
# { $site }, the site's name (GATEHOUSE_SITE_NAME); the others' placeholders are noted above them.
# Another language's folder has the same messages with the same placeholders (a test checks).

## The frame around every page

# $page: the page's own title
page-title = { $page } · { $site }
skip-to-content = Skip to the content
language-switch = Language
support-link = Help and support

## The start page

home-title = Welcome
home-heading = Welcome to { $site }
home-deleted = Your account is deleted. We sent a last mail to confirm it.
home-intro = Create an account, confirm your email address with a one-time code, and sign in.
home-register = Register
home-sign-in = Sign in

## An address with no page

not-found-title = Page not found
not-found-text = There is nothing at this address.
not-found-home = Go to the start page

## Signing in

sign-in-app-code = Or enter the code your authenticator app shows for { $site }.

## The account page

account-language-heading = Language
account-language-label = Language of your pages and mails
account-language-save = Save the language

## The dashboard

dashboard-title = Dashboard
# $left: how many recovery codes are left
dashboard-recovery-code-used = You signed in with a recovery code; it will not work again. { $left ->
    [one] 1 of your recovery codes is left.
   *[other] { $left } of your recovery codes are left.
}
dashboard-new-recovery-codes = Make a new set
dashboard-sign-in-first = Your sign-in ended. Please sign in again to see your dashboard.
# $name: the username
dashboard-hello = Hello, { $name }
dashboard-created = Account created
dashboard-previous-sign-in = Previous sign-in
dashboard-first-sign-in = This is your first sign-in.
dashboard-two-factor = Two-factor sign-in
dashboard-on = On
dashboard-off = Off
dashboard-groups = Groups
dashboard-no-groups = None
dashboard-protect = Protect your account with a second step at sign-in: a code from an authenticator app.
dashboard-turn-on-two-factor = Turn on two-factor sign-in
dashboard-account-settings = Account settings
sessions-heading = Where you are signed in
sessions-sign-out-others = Sign out everywhere else
session-this-device = this device
# $when: a date and time
session-signed-in = signed in { $when }
session-last-seen = last seen { $when }
# $device and $ip: the session's browser and address
session-sign-out-label = Sign out { $device } ({ $ip })
activity-heading = Recent activity

## Words many pages use

loading = Loading…
sign-in-link = Sign in
sign-out = Sign out
account-username = Username
account-email = Email

## The terms, and unlocking an account

terms-title = Accept the terms
# $version: the terms' version label
terms-version = The site's terms (version { $version }) need your acceptance before you go on.
terms-accept = Accept and continue
terms-none = This site has no terms to accept.
terms-dashboard = Go to your dashboard
terms-box-accept = I accept the
terms-box-link = terms (opens in a new tab)
unlock-title = Unlock your account
unlock-text = Your account was locked after too many failed sign-ins in a row. Nobody could sign in to it, you included. Unlock it, then sign in with your password.
unlock-button = Unlock my account

## Signing in to an app (OpenID Connect)

oidc-allow-title = Allow an app
# $app: the app's name
oidc-allow-heading = Allow { $app } to sign you in?
oidc-signed-in-as = You are signed in as
oidc-will-receive = { $app } will receive:
oidc-withdraw-later = You can withdraw this on your account page at any time.
oidc-allow = Allow
oidc-deny = Deny
oidc-returning-title = Returning to the app
oidc-returning = Returning you to { $app }
oidc-continue = Continue to { $app }
oidc-logout-title = Sign out?
oidc-logout-heading = Sign out of this site?
oidc-logout-text = An app asked to sign you out. Signing out here signs you out of every app that uses this sign-in.
oidc-stay = Stay signed in


## A security event, as the dashboard and the console list it

security-event-registration = Account registered
security-event-code-issued = Verification code sent
security-event-code-verified = Email address verified
security-event-code-failed = Wrong verification code
security-event-resend = New verification code requested
security-event-sign-in = Signed in
security-event-sign-in-failed = Failed sign-in
security-event-lockout = Account locked after too many failed sign-ins
security-event-unlock = Account unlocked
security-event-sign-out = Signed out
security-event-session-revoked = Session ended from another device
security-event-recovery-requested = Password reset requested
security-event-password-reset = Password reset with an emailed code
security-event-password-changed = Password changed
security-event-email-change-requested = New email address requested
security-event-email-changed = Email address changed
security-event-account-deleted = Account deleted
security-event-password-accepted = Password accepted, second step asked
security-event-second-factor-failed = Wrong two-factor code
security-event-two-factor-enabled = Two-factor turned on
security-event-two-factor-disabled = Two-factor turned off
security-event-recovery-codes-replaced = New recovery codes made
security-event-recovery-code-used = Signed in with a recovery code
security-event-account-disabled = Account disabled by an administrator
security-event-account-enabled = Account enabled by an administrator
security-event-sessions-ended = All sessions ended by an administrator
security-event-admin-granted = Administrator role granted
security-event-admin-revoked = Administrator role revoked
security-event-two-factor-reset = Two-factor reset by an administrator
security-event-group-created = Group created
security-event-group-changed = Group renamed or described
security-event-group-deleted = Group deleted
security-event-group-member-added = Added to a group
security-event-group-member-removed = Removed from a group
security-event-oidc-client-added = App registered for sign-in with { $site }
security-event-oidc-client-removed = App removed from sign-in with { $site }
security-event-oidc-client-secret-rotated = App's secret replaced
security-event-oidc-signing-key-rotated = ID-token signing key replaced
security-event-oidc-app-allowed = Allowed an app to sign you in
security-event-oidc-app-revoked = Withdrew an app's access
security-event-oidc-access-denied = Sign-in to an app refused: not in its groups
security-event-oidc-token-replayed = A used app code or token was replayed; the app's tokens were revoked
security-event-passkey-added = Passkey added
security-event-passkey-renamed = Passkey renamed
security-event-passkey-removed = Passkey removed
security-event-invitation-sent = Invitation sent
security-event-invitation-resent = Invitation sent again
security-event-invitation-revoked = Invitation revoked
security-event-invitation-used = Registered from an invitation
security-event-terms-accepted = Accepted the terms
security-event-other = Security event

## A browser and its system, as the session list and the notices name them

# $browser and $system: names such as Firefox and Linux
device-on = { $browser } on { $system }
device-unknown-browser = Unknown browser
