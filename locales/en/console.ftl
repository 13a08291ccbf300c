# English: the admin console.

## The console's menu and lists

console-title = Admin console
console-overview = Overview
console-users = Users
console-groups = Groups
console-invitations = Invitations
console-clients = Clients
console-events = Security log
console-codes = Code log
console-your-dashboard = Your dashboard
console-users-csv = Download these accounts as CSV
console-users-none = No account matches.
console-events-csv = Download these events as CSV
console-events-none = No event matches.
console-codes-csv = Download these codes as CSV
console-codes-none = No code matches.
# $page: the console page's own title
console-page-title = { $page } · Admin console
console-loading = Loading…
console-cancel = Cancel
console-remove = Remove
console-add = Add
console-filter = Filter
console-password-or-code = Your password, or a current code from your app
console-group = Group
console-account = Account

## The user list

console-sort-username = By username
console-sort-newest = Newest first
console-filter-everyone = Everyone
console-unverified = Unverified
console-active = Active
console-locked = Locked
console-disabled = Disabled
console-administrators = Administrators
console-two-factor-on = Two-factor on
console-two-factor-off = Two-factor off
console-account-deleted = The account was deleted, and its owner mailed a last notice.
console-search-label = Username or email starts with
console-show = Show
console-order = Order
console-search = Search
console-next-page = Next page
console-badge-admin = admin
console-badge-two-factor = two-factor

## An account's state and the console's actions on it

console-purpose-registration = Registration
console-purpose-recovery = Password recovery
console-purpose-email-change = Email change
console-action-disable = Disable the account
console-action-enable = Enable the account
console-action-unlock = Unlock sign-in
console-action-end-sessions = End all sessions
console-action-grant-admin = Make administrator
console-action-revoke-admin = Revoke administrator
console-action-reset-two-factor = Reset two-factor sign-in
console-action-delete = Delete the account
console-action-resend-verification = Resend the verification code
console-action-send-recovery-code = Send a password reset code
console-action-disable-consequence = The account cannot sign in until it is enabled again, and every session it has ends now.
console-action-enable-consequence = The account can sign in again.
console-action-unlock-consequence = The sign-in lockout is lifted and the failed sign-ins are forgotten.
console-action-end-sessions-consequence = Every session of the account ends now; it has to sign in again.
console-action-grant-admin-consequence = The account can open this console once it has two-factor sign-in turned on.
console-action-revoke-admin-consequence = The account can no longer open this console.
console-action-reset-two-factor-consequence = Two-factor sign-in and the recovery codes are removed, for an owner who lost both; the password alone signs in until it is set up again. The owner is mailed a notice.
console-action-resend-verification-consequence = A new code goes to the account's address, and the old one stops working. The owner enters it on the verify page, which signing in with the password opens.
console-action-send-recovery-code-consequence = A password reset code goes to the account's address, with a link that opens the reset in the browser where it is clicked. The password stays as it is until the owner sets a new one there.
console-action-delete-consequence = The account and its sessions are deleted and the owner is mailed a last notice. Its security events are kept, without addresses or devices, until they expire. This cannot be undone.
console-code-locked = Locked
console-code-expired = Expired
console-code-waiting = Waiting for the code
console-code-sending = Waiting for its mail

## An account in the console

# $action: what was done
console-done = Done: { $action }.
console-confirm-question = { $action }?
console-role-admin = Administrator
console-role-user = User
console-never = Never
# $group: a group's name
console-remove-from = Remove from { $group }

## An account's page

console-groups-saved = Groups saved. The account's next request to an app sees them.
console-state = State
console-role = Role
console-last-sign-in = Last sign-in
console-actions = Actions
console-sessions = Sessions
console-no-sessions = Not signed in anywhere.
console-emailed-codes = Emailed codes
console-none = None.
console-all-codes = All of this account's codes
console-security-events = Security events
console-proof-hint = Actions on accounts need your password, or your app's code, from the last few minutes.
console-confirm = Confirm
console-in-no-group = In no group.
console-add-to-group = Add to a group
console-created = Created

## The code log

console-code-no-account = no account (a stand-in for a taken address)
console-not-yet = not yet
# $when: a date and time
console-mail-sent = mail sent { $when }
# $failures: failed delivery attempts
console-mail-sent-after = mail sent { $when } after { $failures } failed attempt(s)
console-mail-not-sent = mail not sent yet, { $failures } failed attempt(s)
console-mail-swept = mail row already swept
# $error: the mail server's answer
console-mail-error = last mail-server error: { $error }
# $email, $issued, $sent (codes sent), $current, $expires, $verified (times), $wrong, $total (wrong guesses), $delivery (the mail's fate)
console-code-details = { $email } · issued { $issued } · codes sent { $sent } · current code sent { $current } · expires { $expires } · verified { $verified } · wrong guesses { $wrong } ({ $total } in all) · { $delivery }

## The code log's filters

console-every-purpose = Every purpose
console-every-state = Every state
console-code-pending = Not verified yet, not expired
console-code-verified = Verified
console-code-expired-unverified = Expired unverified
console-code-wrong-guesses = With wrong guesses
console-purpose = Purpose
console-account-filter = Account (username or email)
console-issued-from = Issued from (YYYY-MM-DD)
console-issued-until = Issued until (YYYY-MM-DD)
console-older-codes = Older codes

## The security log

# $id: the deleted account's number
console-deleted-account = deleted account { $id }
console-by = by

## The security log's filters

console-kind = Kind
console-every-kind = Every kind
console-actor-filter = Done by admin (username or email)
console-ip = IP address
console-from = From (YYYY-MM-DD)
console-to = To (YYYY-MM-DD)
console-older-events = Older events

## The console's front page

console-series-registrations = Registrations
console-series-verifications = Verifications
console-series-failed-codes = Failed codes
console-series-sign-ins = Sign-ins
console-series-refusals = Refusals
# $first and $last: days; $top: the highest count
console-chart-summary = Registrations, verifications, failed codes, sign-ins and refused requests per day from { $first } to { $last }; the highest daily count is { $top }.
console-chart-range = { $first } to { $last } (UTC)

## The console's counts

console-accounts = Accounts
console-all-accounts = All accounts
console-with-two-factor = With two-factor
console-today = Today (UTC)
console-codes-sent = Codes sent
console-failed-sign-ins = Failed sign-ins
console-refused-requests = Refused requests
console-last-30-days = The last 30 days
console-numbers = The numbers, day by day
console-day = Day

## Groups, invitations and apps in the console

console-group-created = The group was created.
console-group-saved = The group was saved.
console-member-added = The member was added. Their next request to an app sees it.
console-member-removed = The member was removed. Their next request to an app sees it.
# $name: a member's username
console-remove-member = Remove { $name }
console-group-name-hint = Lower-case letters, digits, - and _, like staff or media-admins.
console-invitation-sent = The invitation is on its way.
console-invitation-resent = The invitation was sent again with a new link; the old link no longer works.
console-invitation-revoked = The invitation was revoked; its link no longer works.
console-registration-invite = Registration is by invitation only: people register from the link in their invitation.
console-registration-closed = Registration is closed: only invited people can register, from the link in their invitation.
console-registration-open = Registration is open to anyone; an invitation also fixes the address and adds the groups.
console-no-groups-yet = No groups exist yet.
# $groups: the groups' names, separated by commas
console-groups-hint = Separated by commas. Groups: { $groups }.
console-groups-optional = Groups (optional)
console-invitation-days = Days the link works
# $days: the default
console-invitation-days-hint = 1 to 90; empty: { $days } days.
console-command-line = the command line
console-no-groups = no groups
# $sent and $until: dates; $by: who sent it; $groups: its groups
console-invitation-details = Sent { $sent } by { $by }; { $groups }; works until { $until }.
console-send-again = Send again
console-revoke = Revoke
console-app-registered = The app is registered.
console-app-new-secret = The app has a new secret; the old one no longer works.
console-app-removed = The app was removed; its tokens no longer work.
# $client: the app's client id
console-secret-of = The secret of { $client }
console-every-account = every account
# $app: the app's name
console-new-secret-for = New secret for { $app }
console-new-secret = New secret
console-remove-app-named = Remove { $app }
console-rotate-question = A new secret for { $app }?
console-rotate-warning = The old secret stops working at once: the app cannot sign anyone in until it has the new one.
console-rotate = Make a new secret
console-remove-question = Remove { $app }?
console-remove-warning = Its tokens stop working at once, and nobody can sign in to it with this site any more.
console-remove-app = Remove the app

## The groups' pages

console-group-deleted = The group was deleted.
console-no-groups-listed = No groups yet.
console-create-group = Create a group
console-name = Name
console-create = Create
console-members = Members
console-nobody-yet = Nobody yet.
console-add-member = Add a member: username or email
console-name-and-description = Name and description
console-save = Save
console-rename-hint = Access rules name groups: after a rename, change the rules that name the old name.
console-delete-group-link = Delete this group
console-delete-group-question = Delete this group?
console-delete-group-warning = Its members lose what rules grant the group, at their next request. The accounts stay.
console-delete-group = Delete the group
console-description = Description (optional)

## The invitations' page

console-invite-someone = Invite someone
console-send-invitation = Send the invitation
console-pending = Pending
console-no-invitations = No invitation is pending.

## The apps' page

console-provider-off = Sign-in for other apps is off: set GATEHOUSE_OIDC_PROVIDER=true (and GATEHOUSE_PUBLIC_URL) to turn it on.
console-copy-secret = Copy it into the app now: it is shown this once, and only its hash is kept.
console-no-apps = No app is registered yet.
console-client-id = Client id
console-consent = Consent
console-who-may-sign-in = Who may sign in
console-redirect-uris = Redirect URIs
console-after-sign-out = After sign-out
console-register-app = Register an app
console-app-name = Name shown to users
console-client-id-hint = Letters, digits, '.', '_' and '-', like grafana.
console-app-name-hint = Like Grafana.
console-redirects-label = Redirect URIs, one per line
console-redirects-hint = Exact addresses; https, or http on loopback.
console-after-logout-label = After sign-out, one per line (optional)
console-after-logout-hint = Where the app may send users after signing them out.
console-only-groups = Only these groups (optional)
console-only-groups-hint = Group names separated by spaces; empty: every account.
console-consent-explicit = Ask each user once
console-consent-implicit = Do not ask (the site's own app)
console-public-app = Public app (a phone or browser app that cannot keep a secret)
console-legacy-app = Legacy app that cannot send PKCE
console-register = Register

## An event's outcome, an app's kind

console-outcome-success = success
console-outcome-failure = failure
console-kind-public = public
console-kind-confidential = confidential
console-kind-pkce-optional = confidential, PKCE optional
