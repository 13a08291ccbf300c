# English: the words of the forms.

## Registering

register-title = Register
register-heading = Create your account
register-have-account = Already have an account?
register-invited = You were invited: choose a username and a password. The link proved your address, so no code is needed.
register-username-hint = 3 to 32 characters: letters a–z, digits, dots, underscores, hyphens.
register-email = Email address
register-email-hint = We send a 6-digit code to this address.
register-email-invited = The invitation is for this address.
register-password = Password
register-repeat = Repeat the password
register-create = Create account
register-creating = Creating account…
# $min: the site's minimum length
password-hint = At least { $min } characters. Several unrelated words work well; no special characters required.
proof-of-work-checking = Checking that you are a person, not a bot… this takes a second.

## Signing in

sign-in-title = Sign in
sign-in-verified = Your email address is verified. Sign in to continue.
sign-in-reset = Your password is changed, and every session of your account was ended. Sign in with the new password.
sign-in-unlocked = Your account is unlocked. Sign in to continue.
sign-in-signed-out = You are signed out.
sign-in-passkey = Sign in with a passkey
sign-in-forgot = Forgot your password?
sign-in-no-account = No account yet?
sign-in-identifier = Username or email
sign-in-code = Code
sign-in-code-hint = 6 digits from the app, or a recovery code such as 7K3Q-DM9X-TA2B-C4EF.
second-step-title = Two-factor sign-in
second-step-heading = One more step
second-step-passkey = Use a passkey
second-step-lost = Lost your phone or your passkey? Enter one of your recovery codes instead.
second-step-nothing = No sign-in is waiting for its second step in this browser: it finished, or it waited more than 5 minutes.
second-step-sign-in-again = Sign in again
start-again = Start again

## A code sent by mail. $destination: the masked address (in bold); $time: the time left, ticking

code-on-its-way = Your code is on its way to { $destination }.
code-delayed = Sending your code to { $destination } is delayed: our mail server is not answering right now. We keep trying, and this page updates when it has gone out.
code-sent = We sent a 6-digit code to { $destination }.
code-expires-in = The code expires in { $time }
code-unknown-destination = the address of that account, if there is one
# $attempts: how many tries are left (the browser fills it in, so no plural forms here)
code-attempts-left = { $attempts } attempt(s) left
code-check-again = Check again
code-label = Verification code
code-verify = Verify
code-expired = Your code has expired. Request a new code, or start again.
code-locked = Too many wrong attempts for this code. Request a new code, or start again.
code-send-new = Send a new code
# $wait: seconds until a new code may be sent (filled in by the browser)
code-send-new-in = Send a new code (in { $wait } s)
code-resent = A new code is on its way. It replaces the previous one.
verify-title = Verify your email
verify-heading = Check your email
email-verify-title = Confirm your new address
back-to-account = Back to your account

## Recovering a password

recover-title = Reset your password
recover-link-expired = That link no longer works: its code expired or a newer one replaced it. Start again here.
recover-intro = Enter your username or your email address. We send a code to the account's address; with it you choose a new password.
recover-send = Send a code
recover-back = Back to sign in
new-password-title = Choose a new password
new-password = New password
new-password-repeat = Repeat the new password
new-password-set = Set the new password
new-password-nothing = This browser has no password reset waiting for a new password: it was finished, or it expired (you have ten minutes after entering the code).

## The account page

account-sign-in-first = Please sign in to manage your account.
# $scopes: what the app receives, separated by commas
account-app-receives = receives: { $scopes }
# $app: the app's name
account-app-withdraw = Withdraw { $app }
# $name: the username (in bold)
account-delete-warning = This deletes the account { $name } and signs you out everywhere. It cannot be undone. We keep the security log of the account, without addresses or devices, until it expires.
account-delete-hint = Type your username to confirm.

## The account page's forms

account-title = Your account
account-password-changed = Your password is changed. Your other sessions were ended, and we mailed you a notice.
account-email-changed = Your address is changed. We told both addresses.
account-app-withdrawn = The app's access is withdrawn: it is signed out, and asks you again next time.
account-loading = Loading your account…
account-back-to-dashboard = Back to the dashboard
account-download = Download my data
account-password-heading = Change your password
account-current-password = Current password
account-change-password = Change password
account-email-heading = Change your email address
account-email-intro = We send a code to the new address; the change takes effect when you enter it.
account-new-email = New email address
account-password-first = For your safety, enter your password first.
account-your-password = Your password
account-continue = Continue
account-apps-heading = Apps you allowed
account-no-apps = No app signs you in with this account.
account-delete-heading = Delete your account
account-delete = Delete my account

## Two-factor sign-in

security-intro = With two-factor on, signing in asks for your password and a code from an authenticator app on your phone (any app that reads QR codes for sign-in, such as Aegis, Google Authenticator, Microsoft Authenticator or 1Password).
security-sign-in-first = Please sign in to manage two-factor sign-in.
# $when: a date and time
security-on-since = Two-factor sign-in is on (since { $when }).
# $left: how many recovery codes are left
security-codes-left = { $left ->
    [0] No recovery codes are left: make a new set now.
    [one] 1 recovery code is left.
   *[other] { $left } recovery codes are left.
}
security-code-hint = 6 digits. The code changes every 30 seconds.
security-codes-intro = If you lose your phone or your passkeys, each of these codes signs you in once in their place. Keep them somewhere safe, away from your devices. They are shown only now.
security-copy = Copy the codes
security-copied = Copied

## Two-factor sign-in's forms

security-turned-off = Two-factor sign-in is off. We mailed you a notice.
security-required = This site requires two-factor sign-in for every account. Set it up to continue.
security-passkey-added = Your passkey is added. We mailed you a notice.
security-passkey-renamed = Your passkey is renamed. We mailed you a notice.
security-passkey-removed = Your passkey is removed. We mailed you a notice.
security-renew-heading = New recovery codes
security-renew-intro = A new set of ten codes replaces the old set: the old codes stop working.
security-renew = Make new recovery codes
security-disable = Turn two-factor off
security-disable-intro = Signing in will ask for your password only.
security-off-password-first = Two-factor sign-in is off. For your safety, enter your password to set it up.
security-off = Two-factor sign-in is off.
security-set-up = Set up two-factor sign-in
security-setup-heading = Set up your authenticator app
security-scan = Scan this QR code with the app:
security-qr-label = QR code for your authenticator app
security-open-in-app = Or open it in the authenticator app on this device
security-type-key = Or, if you cannot scan it, add an account by hand with this key (time-based):
security-enter-code = Enter the code the app shows now:
security-code-label = Code from the app
security-enable = Turn two-factor on
security-new-key = Start over with a new key
security-codes-heading = Your recovery codes
security-on = Two-factor sign-in is on.
security-download = Download the codes
security-saved = I have saved my recovery codes
security-proof-code = Code from your app, or a recovery code

## Passkeys

passkeys-intro = A passkey signs you in with your device's screen lock or a security key, without your password. It works only on this site's own address, so a look-alike site cannot use it. A passkey also counts as a second factor after your password.
passkeys-never = never
# $added and $used: dates (or "never")
passkeys-added-used = added { $added }, last used { $used }.
# $name: the passkey's name
passkeys-remove = Remove { $name }
passkeys-name = Name of the passkey
passkeys-name-hint = So you can tell your passkeys apart, such as "Work laptop".
passkeys-cancelled = The passkey request was cancelled, or it timed out. Try again, or use your password.
passkeys-held = This authenticator already holds a passkey for your account.
passkeys-unsupported = This browser cannot use passkeys here. Use your password instead.
passkeys-failed = Something went wrong. Please try again.

## Passkeys' forms

passkeys-heading = Passkeys
passkeys-unavailable = Passkeys are not available on this site: it has no public web address set.
passkeys-add = Add a passkey
passkeys-password-first = For your safety, enter your password to add, rename or remove passkeys.
passkeys-none = You have no passkeys yet.
passkeys-new-name = New name
passkeys-rename = Rename
