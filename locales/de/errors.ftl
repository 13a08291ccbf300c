# Deutsch: was schiefging, wie der Server es sagt, und neben einem Feld.

## Wie lange zu warten ist

wait-seconds = { $count ->
    [one] 1 Sekunde
   *[other] { $count } Sekunden
}
wait-minutes = { $count ->
    [one] 1 Minute
   *[other] { $count } Minuten
}

## Die Ablehnung einer Serverfunktion

error-validation = Bitte korrigieren Sie die markierten Felder.
error-invalid-credentials = Benutzername, E-Mail-Adresse oder Passwort ist falsch.
error-second-factor-invalid = Dieser Code hat nicht funktioniert. Geben Sie den aktuellen Code aus Ihrer Authenticator-App oder einen unbenutzten Wiederherstellungscode ein.
error-second-step-expired = Diese Anmeldung hat zu lange auf ihren zweiten Schritt gewartet. Bitte melden Sie sich erneut an.
error-not-authenticated = Bitte melden Sie sich an, um fortzufahren.
error-wrong-code = Dieser Code ist nicht richtig. Noch { $attempts } Versuch(e).
error-code-expired = Dieser Code ist abgelaufen. Fordern Sie einen neuen Code an.
error-code-locked = Zu viele falsche Versuche für diesen Code. Fordern Sie einen neuen Code an.
error-code-not-sent-yet = Ihr Code ist noch unterwegs. Bitte warten Sie auf die E-Mail, oder fordern Sie einen neuen an.
error-registration-locked = Zu viele falsche Codes für diese Registrierung. Bitte registrieren Sie sich erneut.
error-no-pending-verification = In diesem Browser wartet nichts auf einen Code: Es wurde abgeschlossen, ersetzt oder ist abgelaufen. Beginnen Sie neu, oder melden Sie sich an.
error-reauthentication-required = Geben Sie zu Ihrer Sicherheit bitte zuerst Ihr Passwort erneut ein.
error-not-admin = Diese Seite ist für Administratoren.
error-admin-needs-two-factor = Schalten Sie zuerst die Zwei-Faktor-Anmeldung ein: Die Verwaltung braucht sie.
error-two-factor-required = Diese Website verlangt die Zwei-Faktor-Anmeldung, daher kann sie nicht ausgeschaltet werden. Sie können stattdessen neue Wiederherstellungscodes erzeugen.
error-not-on-own-account = Das können Sie mit Ihrem eigenen Konto nicht tun. Fragen Sie einen anderen Administrator.
error-already-verified = Die Adresse dieses Kontos ist bereits bestätigt, es gibt also keinen Code zum erneuten Senden.
error-no-such-account = Dieses Konto gibt es nicht. Vielleicht wurde es gelöscht.
error-no-such-group = Diese Gruppe gibt es nicht. Vielleicht wurde sie umbenannt oder gelöscht.
error-provider-off = Die Anmeldung bei anderen Apps mit dieser Website ist nicht eingeschaltet.
error-unknown-app = Die App, die Sie hierher geschickt hat, ist bei dieser Website nicht registriert, oder sie wollte an einer Adresse antworten, die sie nicht registriert hat. Sie wurden nicht zu ihr zurückgeschickt. Bitte sagen Sie es dem Administrator der App.
error-no-app-sign-in-waiting = In diesem Browser wartet keine Anmeldung bei einer App: Sie ist schon abgeschlossen oder hat anderswo begonnen. Gehen Sie zurück zur App und beginnen Sie neu.
error-no-such-app = Diese App gibt es nicht. Vielleicht wurde sie entfernt.
error-no-such-grant = Diese App hat keinen Zugriff, der entzogen werden könnte. Vielleicht wurde er schon entzogen.
error-no-such-session = Diese Sitzung ist bereits beendet.
error-passkeys-unavailable = Passkeys sind auf dieser Website nicht verfügbar. Melden Sie sich mit Ihrem Passwort an.
error-passkey-request-expired = Diese Passkey-Anfrage ist abgelaufen oder wurde schon benutzt. Bitte versuchen Sie es erneut.
error-passkey-not-recognised = Dieser Passkey ist hier für dieses Konto nicht registriert. Verwenden Sie einen anderen Passkey, oder melden Sie sich mit Ihrem Passwort an.
error-passkey-user-not-verified = Ihr Passkey hat nicht geprüft, dass Sie es sind (mit PIN, Fingerabdruck oder Gesicht). Passkeys brauchen das hier: Versuchen Sie es erneut, oder verwenden Sie einen anderen Passkey.
error-passkey-wrong-site = Diese Passkey-Antwort wurde für eine andere Webadresse erstellt und funktioniert hier nicht. Achten Sie darauf, dass Sie auf der echten Adresse dieser Website sind.
error-passkey-refused = Die Antwort dieses Passkeys konnte nicht geprüft werden. Bitte versuchen Sie es erneut, oder melden Sie sich mit Ihrem Passwort an.
error-passkey-already-registered = Dieser Passkey ist hier bereits registriert.
error-no-such-passkey = Diesen Passkey gibt es in Ihrem Konto nicht. Vielleicht wurde er entfernt.
error-terms-not-accepted = Setzen Sie das Häkchen, um die Nutzungsbedingungen anzunehmen.
error-registration-closed = Die Registrierung ist auf dieser Website geschlossen. Ein Administrator kann Sie einladen.
error-invitation-required = Die Registrierung ist hier nur mit Einladung möglich. Bitten Sie einen Administrator, Sie einzuladen, und öffnen Sie dann den Link in der Einladungs-E-Mail.
error-invitation-invalid = Dieser Einladungslink funktioniert nicht: Er wurde benutzt, widerrufen oder ist abgelaufen. Bitten Sie einen Administrator um eine neue Einladung.
error-no-such-invitation = Diese Einladung ist nicht mehr offen: Sie wurde benutzt, widerrufen oder ist abgelaufen.
error-rate-limited = Zu viele Versuche. Bitte versuchen Sie es in { $wait } erneut.
error-proof-of-work-required = Zu viele Versuche von hier. Bitte versuchen Sie es in { $wait } erneut, oder schalten Sie JavaScript ein, damit Ihr Browser beweisen kann, dass er kein Bot ist, und Sie gleich weitermachen können.
error-busy = Wir sind gerade sehr beschäftigt. Bitte versuchen Sie es in { $wait } erneut.
error-unlock-link-invalid = Dieser Entsperrlink funktioniert nicht mehr. Wenn Ihr Konto noch gesperrt ist, enthält die neueste E-Mail von uns einen neuen Link.
error-invalid-date = Schreiben Sie Daten als JJJJ-MM-TT, zum Beispiel 2026-11-25.
error-bad-request = Das Formular konnte nicht gelesen werden. Bitte laden Sie die Seite neu und versuchen Sie es erneut.
error-internal = Bei uns ist etwas schiefgegangen (Referenz { $reference }). Bitte versuchen Sie es erneut.
error-unreachable = Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.

## Eine verletzte Regel eines Feldes

problem-username-length = Verwenden Sie { $min } bis { $max } Zeichen (Sie haben { $length }).
problem-username-characters = Verwenden Sie nur die Buchstaben a–z, Ziffern, Punkte, Unterstriche und Bindestriche.
problem-username-reserved = Dieser Benutzername ist reserviert. Bitte wählen Sie einen anderen.
problem-email-missing = Geben Sie Ihre E-Mail-Adresse ein.
problem-too-long = Verwenden Sie höchstens { $max } Zeichen.
problem-email-invalid = Geben Sie eine E-Mail-Adresse wie name@example.com ein.
problem-password-too-short = Verwenden Sie mindestens { $min } Zeichen (Sie haben { $length }). Einige Wörter ohne Zusammenhang ergeben ein starkes Passwort, das man sich merken kann.
problem-password-too-long = Verwenden Sie höchstens { $max } Zeichen (Sie haben { $length }).
problem-password-common = Dieses Passwort gehört zu den am häufigsten verwendeten. Bitte wählen Sie ein anderes.
problem-password-predictable = Dieses Passwort ist zu eintönig oder vorhersehbar. Bitte wählen Sie ein anderes.
problem-password-has-username = Ihr Passwort darf Ihren Benutzernamen nicht enthalten.
problem-password-has-email = Ihr Passwort darf Ihre E-Mail-Adresse nicht enthalten.
problem-password-has-site-name = Ihr Passwort darf den Namen dieser Website nicht enthalten.
problem-passwords-differ = Die beiden Passwörter stimmen nicht überein.
problem-code = Geben Sie den 6-stelligen Code aus der E-Mail ein.
problem-identifier-missing = Geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse ein.
problem-identifier-invisible = Entfernen Sie die unsichtbaren oder Steuerzeichen aus Ihrem Benutzernamen oder Ihrer E-Mail-Adresse.
problem-group-name-missing = Geben Sie den Namen der Gruppe ein.
problem-group-name-too-long = Der Name einer Gruppe hat höchstens { $max } Zeichen.
problem-group-name-characters = Verwenden Sie nur Kleinbuchstaben, Ziffern, - und _, etwa staff oder media-admins.

## Die Antwort des Servers zu einem Feld

field-username-taken = Dieser Benutzername ist vergeben. Bitte wählen Sie einen anderen.
field-email-in-use = Es gibt bereits ein Konto mit dieser Adresse.
field-email-in-use-sign-in = Es gibt bereits ein Konto mit dieser Adresse. Melden Sie sich an, oder setzen Sie sein Passwort zurück.
field-email-unchanged = Das ist bereits Ihre Adresse.
field-invitation-days = Geben Sie eine Anzahl von Tagen von 1 bis { $max } ein.
field-no-such-group = Es gibt keine Gruppe namens { $name }.
field-second-factor-code = Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App oder einen Ihrer Wiederherstellungscodes ein.
field-password-missing = Geben Sie Ihr Passwort ein.
field-not-current-password = Das ist nicht Ihr aktuelles Passwort.
field-password-unchanged = Wählen Sie ein anderes Passwort als Ihr aktuelles.
field-confirm-deletion = Geben Sie zur Bestätigung Ihren Benutzernamen { $name } ein.
field-first-code-wrong = Dieser Code stimmt nicht. Prüfen Sie die Uhr Ihres Telefons, und geben Sie den Code ein, den die App jetzt zeigt.
field-second-factor-wrong = Dieser Code hat nicht funktioniert. Geben Sie den aktuellen Code aus Ihrer App oder einen unbenutzten Wiederherstellungscode ein.
field-two-factor-on-already = Die Zwei-Faktor-Anmeldung ist für Ihr Konto bereits eingeschaltet.
field-two-factor-off-already = Die Zwei-Faktor-Anmeldung ist für Ihr Konto nicht eingeschaltet.
field-two-factor-setup-gone = Beginnen Sie die Einrichtung neu: Nichts wartet auf einen ersten Code.
field-passkey-name = Geben Sie dem Passkey einen Namen mit 1 bis { $max } Zeichen, etwa „Arbeitslaptop“.
field-admin-proof-wrong = Dieser Code hat nicht funktioniert. Geben Sie den aktuellen Code aus Ihrer App oder Ihr Passwort ein.
field-domain-denied = Adressen bei { $domain } können hier nicht verwendet werden. Verwenden Sie eine andere Adresse.
field-domains-under = jede Domain unter { $parent }
field-domains-allowed = Hier können nur Adressen bei { $domains } verwendet werden.
field-disposable-address = Adressen von Wegwerf-Maildiensten können hier nicht verwendet werden. Verwenden Sie eine Adresse, die Sie behalten.

## Eine Ablehnung außerhalb eines Formulars

refusal-too-large = Was Sie gesendet haben, ist zu groß. Bitte kürzen Sie Ihre Eingabe und versuchen Sie es erneut.
refusal-recovery-codes-gone = Ihre Wiederherstellungscodes werden nicht mehr angezeigt. Wenn Sie sie nicht aufbewahrt haben, erzeugen Sie auf der Sicherheitsseite einen neuen Satz.
refusal-unknown-language = Diese Sprache spricht diese Website nicht.
refusal-cross-site = Diese Anfrage kam von einer anderen Website und wurde abgelehnt.
refusal-forward-auth-unclear = { $site } konnte nicht erkennen, welche Seite Sie aufrufen wollten, und kann Sie daher nicht einlassen.
refusal-accept-terms = Bitte nehmen Sie die Nutzungsbedingungen an, um fortzufahren.
refusal-not-open = Diese Seite steht Ihnen nicht offen.
refusal-not-in-group = Ihr Konto ist in keiner Gruppe, die diese Seite öffnen darf. Fragen Sie einen Administrator.
refusal-needs-second-factor = Diese Seite verlangt eine Anmeldung mit zweitem Faktor. Schalten Sie die Zwei-Faktor-Anmeldung auf Ihrer Sicherheitsseite ein, melden Sie sich dann ab und wieder an.
