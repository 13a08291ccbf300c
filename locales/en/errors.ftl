# English: what went wrong, as the server says it (src/error.rs) and beside a field (src/validate).

## How long to wait

# $count: seconds (at most 90) or minutes (rounded up)
wait-seconds = { $count ->
    [one] 1 second
   *[other] { $count } seconds
}
wait-minutes = { $count ->
    [one] 1 minute
   *[other] { $count } minutes
}

## A server function's refusal. $wait: one of the waits above

error-validation = Please correct the highlighted fields.
error-invalid-credentials = Incorrect username, email or password.
error-second-factor-invalid = That code did not work. Enter the current code from your authenticator app, or an unused recovery code.
error-second-step-expired = This sign-in waited too long for its second step. Please sign in again.
error-not-authenticated = Please sign in to continue.
# $attempts: how many tries the code has left
error-wrong-code = That code is not correct. { $attempts } attempt(s) left.
error-code-expired = This code has expired. Request a new code.
error-code-locked = Too many wrong attempts for this code. Request a new code.
error-code-not-sent-yet = Your code is still on its way. Please wait for the email, or request a new one.
error-registration-locked = Too many wrong codes for this registration. Please register again.
error-no-pending-verification = Nothing in this browser is waiting for a code: it was finished, replaced, or it expired. Start again, or sign in.
error-reauthentication-required = For your safety, please enter your password again first.
error-not-admin = This page is for administrators.
error-admin-needs-two-factor = Turn on two-factor sign-in first: the admin console needs it.
error-two-factor-required = This site requires two-factor sign-in, so it cannot be turned off. You can make new recovery codes instead.
error-not-on-own-account = You cannot do that to your own account. Ask another administrator.
error-already-verified = This account's address is verified already, so there is no code to resend.
error-no-such-account = There is no such account. It may have been deleted.
error-no-such-group = There is no such group. It may have been renamed or deleted.
error-provider-off = Signing in to other apps with this site is not turned on.
error-unknown-app = The app that sent you here is not registered with this site, or asked to be answered at an address it did not register. You were not sent back to it. Please tell the app's administrator.
error-no-app-sign-in-waiting = No sign-in to an app is waiting in this browser: it finished already, or it began elsewhere. Go back to the app and start again.
error-no-such-app = There is no such app. It may have been removed.
error-no-such-grant = That app has no access to withdraw. It may have been withdrawn already.
error-no-such-session = That session has already ended.
error-passkeys-unavailable = Passkeys are not available on this site. Sign in with your password.
error-passkey-request-expired = This passkey request expired or was used already. Please try again.
error-passkey-not-recognised = That passkey is not registered for this account here. Use another passkey, or sign in with your password.
error-passkey-user-not-verified = Your passkey did not check it was you (with a PIN, fingerprint or face). Passkeys here need that: try again, or use another passkey.
error-passkey-wrong-site = That passkey answer was made for another web address, so it does not work here. Make sure you are on this site's real address.
error-passkey-refused = That passkey's answer could not be checked. Please try again, or sign in with your password.
error-passkey-already-registered = This passkey is registered here already.
error-no-such-passkey = There is no such passkey on your account. It may have been removed.
error-terms-not-accepted = Tick the box to accept the terms.
error-registration-closed = Registration is closed on this site. An administrator can invite you.
error-invitation-required = Registration here is by invitation only. Ask an administrator to invite you, then open the link in the invitation email.
error-invitation-invalid = This invitation link does not work: it was used, revoked or has expired. Ask an administrator for a new invitation.
error-no-such-invitation = This invitation is no longer pending: it was used, revoked or has expired.
error-rate-limited = Too many attempts. Please try again in { $wait }.
error-proof-of-work-required = Too many attempts from here. Please try again in { $wait }, or turn on JavaScript so your browser can prove it is not a bot and continue now.
error-busy = We are very busy right now. Please try again in { $wait }.
error-unlock-link-invalid = This unlock link does not work any more. If your account is still locked, the newest email we sent you has a fresh link.
error-invalid-date = Write dates as YYYY-MM-DD, for example 2026-11-25.
error-bad-request = The form could not be read. Please reload the page and try again.
# $reference: what the server's log files the cause under
error-internal = Something went wrong on our side (reference { $reference }). Please try again.
error-unreachable = Could not reach the server. Check your connection and try again.

## A field's rule, broken. The browser fills { $length }, { $min } and { $max } in itself, so
## these messages choose no plural form by them.

problem-username-length = Use { $min } to { $max } characters (you have { $length }).
problem-username-characters = Use only letters a–z, digits, dots, underscores and hyphens.
problem-username-reserved = This username is reserved. Please choose another.
problem-email-missing = Enter your email address.
problem-too-long = Use at most { $max } characters.
problem-email-invalid = Enter an email address like name@example.com.
problem-password-too-short = Use at least { $min } characters (you have { $length }). A few unrelated words make a strong, memorable password.
problem-password-too-long = Use at most { $max } characters (you have { $length }).
problem-password-common = This password is one of the most commonly used. Please choose another.
problem-password-predictable = This password is too repetitive or predictable. Please choose another.
problem-password-has-username = Your password must not contain your username.
problem-password-has-email = Your password must not contain your email address.
problem-password-has-site-name = Your password must not contain the name of this site.
problem-passwords-differ = The two passwords do not match.
problem-code = Enter the 6-digit code from the email.
problem-identifier-missing = Enter your username or email address.
problem-identifier-invisible = Remove the invisible or control characters from your username or email address.
problem-group-name-missing = Enter the group's name.
problem-group-name-too-long = A group's name has at most { $max } characters.
problem-group-name-characters = Use lower-case letters, digits, - and _ only, like staff or media-admins.

## A field's answer from the server

field-username-taken = This username is taken. Please choose another.
field-email-in-use = An account with this address exists already.
field-email-in-use-sign-in = An account with this address exists already. Sign in, or reset its password.
field-email-unchanged = That is already your address.
# $max: the most days an invitation may last
field-invitation-days = Enter a number of days from 1 to { $max }.
# $name: a group's name as typed
field-no-such-group = No group is named { $name }.
field-second-factor-code = Enter the 6-digit code from your authenticator app, or one of your recovery codes.
field-password-missing = Enter your password.
field-not-current-password = That is not your current password.
field-password-unchanged = Choose a password different from your current one.
# $name: the account's username
field-confirm-deletion = Type your username, { $name }, to confirm.
field-first-code-wrong = That code is not right. Check the clock of your phone, and enter the code the app shows now.
field-second-factor-wrong = That code did not work. Enter the current code from your app, or an unused recovery code.
field-two-factor-on-already = Two-factor is already on for your account.
field-two-factor-off-already = Two-factor is not on for your account.
field-two-factor-setup-gone = Start the setup again: nothing is waiting for a first code.
# $max: the longest name
field-passkey-name = Give the passkey a name of 1 to { $max } characters, such as "Work laptop".
field-admin-proof-wrong = That code did not work. Enter the current code from your app, or your password.
# $domain: the address's domain
field-domain-denied = Addresses at { $domain } cannot be used here. Use another address.
# $parent: a domain whose subdomains are allowed
field-domains-under = any domain under { $parent }
# $domains: the allowed domains, separated by commas
field-domains-allowed = Only addresses at { $domains } can be used here.
field-disposable-address = Addresses of disposable mail services cannot be used here. Use an address you keep.

## A refusal outside a form: a download, forward-auth, the language switch

refusal-too-large = What you sent is too large. Please shorten what you typed and try again.
refusal-recovery-codes-gone = Your recovery codes are no longer shown. If you did not keep them, make a new set on the security page.
refusal-unknown-language = This site does not speak that language.
refusal-cross-site = This request came from another site and was refused.
refusal-forward-auth-unclear = { $site } could not tell which page you asked for, so it cannot let you in.
refusal-accept-terms = Please accept the terms to continue.
refusal-not-open = This page is not open to you.
refusal-not-in-group = Your account is not in a group that may open this page. Ask an administrator.
refusal-needs-second-factor = This page needs a sign-in with a second factor. Turn on two-factor sign-in on your security page, then sign out and in again.
