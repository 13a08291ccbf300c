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

