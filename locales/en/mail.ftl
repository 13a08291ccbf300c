# English: the mails. The rules every catalogue follows are at the top of pages.ftl.

## Mails

# $name: the account's username
mail-hello = Hello { $name },
mail-hello-anyone = Hello,
# $url: GATEHOUSE_SUPPORT_URL
mail-support = Need help? { $url }
mail-fact-when = When
mail-fact-device = Device
mail-fact-address = Address

# $count: a whole number
duration-minutes = { $count ->
    [one] 1 minute
   *[other] { $count } minutes
}
duration-seconds = { $count ->
    [one] 1 second
   *[other] { $count } seconds
}

mail-registration-subject = Your { $site } verification code
mail-registration-intro = your { $site } verification code is:
# $lifetime: how long the code works, like "5 minutes"
mail-registration-enter = Enter it on the verification page within { $lifetime }. If you did not register, ignore this email: without the code no account is created.

mail-recovery-subject = Your { $site } password reset code
mail-recovery-intro = your { $site } password reset code is:
# $lifetime: how long the code works
mail-recovery-enter = Enter it on the password reset page within { $lifetime }. If you did not ask to reset your password, ignore this email: without the code your password stays as it is.
mail-recovery-handoff = An administrator sent you this code. Open this link in your browser, then enter the code there:
mail-recovery-handoff-link = Open the password reset page

mail-email-change-subject = Confirm your new { $site } address
mail-email-change-intro = your { $site } address confirmation code is:
# $lifetime: how long the code works
mail-email-change-enter = Enter it on your account page within { $lifetime }. If you did not ask to use this address, ignore this email: without the code nothing changes.

mail-already-registered-subject = Someone tried to register with your address
mail-already-registered-what = someone just tried to use this email address for a { $site } account. It already belongs to an account, so nothing was changed.
mail-already-registered-advice = If it was you, sign in instead. If it was not, you can ignore this email: nothing changed.

mail-no-account-subject = No { $site } account uses this address
mail-no-account-what = someone asked to reset the password of a { $site } account with this email address, but no account uses it. If it was you, you may have registered with another address.
mail-no-account-advice = If it was not you, you can ignore this email: nothing happened.

mail-locked-subject = Your { $site } account was locked
mail-locked-what = your { $site } account was locked: someone tried to sign in to it with a wrong password too many times in a row. Nobody can sign in to it until it is unlocked, not even with the right password.
mail-locked-how = If you want to sign in, unlock it with this link (it works once, for 24 hours):
mail-locked-link = Unlock my account
mail-locked-advice = If the failed sign-ins were not you, your password held: nobody got in. Unlock the account when you want to use it, and consider choosing a longer password.

# $until: the date and time the link stops working
mail-invitation-subject = You are invited to create an account
mail-invitation-what = you are invited to create an account at { $site }. Choose a username and a password here (the link works once, until { $until }):
mail-invitation-link = Create my account
mail-invitation-advice = If you did not expect this invitation, ignore this email: without the link no account is created.

mail-password-changed-subject = Your { $site } password was changed
mail-password-changed-what = the password of your { $site } account was just changed, and every session that was signed in was ended.
mail-password-changed-advice = If this was you, there is nothing to do. If it was not, reset your password now with "Forgot your password?" on the sign-in page: only someone who can read this mailbox can do that.

mail-email-changed-subject = Your { $site } address was changed
# $address: the new address, partly hidden
mail-email-changed-what = the email address of your { $site } account was changed to { $address }. Mail about the account goes there from now on.
mail-email-changed-advice = If this was you, there is nothing to do. If it was not, someone has your password: sign in, change the password and the address back, and end the other sessions.

mail-email-now-yours-subject = This is now your { $site } address
mail-email-now-yours-what = this address is now the email address of your { $site } account.
mail-email-now-yours-advice = If you did not ask for this, write to the site's operators.

mail-account-deleted-subject = Your { $site } account was deleted
mail-account-deleted-what = your { $site } account and everything in it were deleted. This is the last mail you get from us about it.
mail-account-deleted-advice = If this was not you, someone had your password; the account cannot be brought back, but you can register again.

mail-new-device-subject = A new sign-in to your { $site } account
mail-new-device-what = your { $site } account was just signed in to from a device or network it had not been signed in from before.
mail-new-device-advice = If this was you, there is nothing to do. If it was not, change your password now and end the other sessions on your dashboard.

mail-two-factor-on-subject = Two-factor sign-in is on for your { $site } account
mail-two-factor-on-what = two-factor sign-in was turned on for your { $site } account: signing in now also asks for a code from an authenticator app.
mail-two-factor-on-advice = If this was you, keep your recovery codes somewhere safe. If it was not, someone has your password: reset it with "Forgot your password?" and write to the site's operators.

mail-two-factor-off-subject = Two-factor sign-in is off for your { $site } account
mail-two-factor-off-what = two-factor sign-in was turned off for your { $site } account: signing in now asks for the password only.
mail-two-factor-off-advice = If this was you, there is nothing to do. If it was not, change your password now, end the other sessions on your dashboard and turn two-factor on again.

mail-recovery-codes-replaced-subject = New recovery codes for your { $site } account
mail-recovery-codes-replaced-what = a new set of recovery codes was made for your { $site } account; the old codes no longer work.
mail-recovery-codes-replaced-advice = If this was you, keep the new codes somewhere safe. If it was not, change your password now and end the other sessions on your dashboard.

mail-recovery-code-used-subject = A recovery code was used on your { $site } account
# $left: how many recovery codes are left
mail-recovery-code-used-what = one of your recovery codes was just used to sign in to your { $site } account. { $left ->
    [one] 1 of your recovery codes is left.
   *[other] { $left } of your recovery codes are left.
}
mail-recovery-code-used-advice = If this was you, make a new set on the account's security page when few are left. If it was not, someone has your password and a recovery code: change the password, make new recovery codes, and end the other sessions.

mail-recovery-paused-subject = Password recovery for your { $site } account is paused
# $until: the date and time recovery works again
mail-recovery-paused-what = many wrong password reset codes were entered for your { $site } account, so password recovery for it is paused until { $until }: no code works and none is sent until then. Your password has not changed.
mail-recovery-paused-advice = If this was you, wait until then and ask for a new code. If it was not, someone is trying to take over your account: there is nothing to do, the pause protects it, and you can still sign in with your password.

mail-passkey-advice = If this was you, there is nothing to do. If it was not, someone is signed in to your account: remove passkeys you do not know on the account's security page, change your password and end the other sessions.
mail-passkey-added-subject = A passkey was added to your { $site } account
# $name: the passkey's name
mail-passkey-added-what = a passkey named "{ $name }" was added to your { $site } account: it can now sign in to it.
mail-passkey-renamed-subject = A passkey of your { $site } account was renamed
# $names: "old name → new name"
mail-passkey-renamed-what = a passkey of your { $site } account was renamed ({ $names }).
mail-passkey-removed-subject = A passkey was removed from your { $site } account
# $name: the passkey's name
mail-passkey-removed-what = the passkey named "{ $name }" was removed from your { $site } account: it no longer signs in to it.
