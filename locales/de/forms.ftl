# Deutsch: die Wörter der Formulare.

## Registrieren

register-title = Registrieren
register-heading = Konto anlegen
register-have-account = Sie haben schon ein Konto?
register-invited = Sie wurden eingeladen: Wählen Sie einen Benutzernamen und ein Passwort. Der Link hat Ihre Adresse bestätigt, daher ist kein Code nötig.
register-username-hint = 3 bis 32 Zeichen: Buchstaben a–z, Ziffern, Punkte, Unterstriche, Bindestriche.
register-email = E-Mail-Adresse
register-email-hint = Wir senden einen 6-stelligen Code an diese Adresse.
register-email-invited = Die Einladung gilt für diese Adresse.
register-password = Passwort
register-repeat = Passwort wiederholen
register-create = Konto anlegen
register-creating = Konto wird angelegt…
password-hint = Mindestens { $min } Zeichen. Mehrere Wörter ohne Zusammenhang eignen sich gut; Sonderzeichen sind nicht nötig.
proof-of-work-checking = Wir prüfen, dass Sie ein Mensch und kein Bot sind… das dauert eine Sekunde.

## Anmelden

sign-in-title = Anmelden
sign-in-verified = Ihre E-Mail-Adresse ist bestätigt. Melden Sie sich an, um fortzufahren.
sign-in-reset = Ihr Passwort ist geändert, und alle Sitzungen Ihres Kontos wurden beendet. Melden Sie sich mit dem neuen Passwort an.
sign-in-unlocked = Ihr Konto ist entsperrt. Melden Sie sich an, um fortzufahren.
sign-in-signed-out = Sie sind abgemeldet.
sign-in-passkey = Mit einem Passkey anmelden
sign-in-forgot = Passwort vergessen?
sign-in-no-account = Noch kein Konto?
sign-in-identifier = Benutzername oder E-Mail-Adresse
sign-in-code = Code
sign-in-code-hint = 6 Ziffern aus der App, oder ein Wiederherstellungscode wie 7K3Q-DM9X-TA2B-C4EF.
second-step-title = Zwei-Faktor-Anmeldung
second-step-heading = Noch ein Schritt
second-step-passkey = Einen Passkey verwenden
second-step-lost = Telefon oder Passkey verloren? Geben Sie stattdessen einen Ihrer Wiederherstellungscodes ein.
second-step-nothing = In diesem Browser wartet keine Anmeldung auf ihren zweiten Schritt: Sie ist abgeschlossen, oder sie hat länger als 5 Minuten gewartet.
second-step-sign-in-again = Erneut anmelden
start-again = Neu beginnen

## Ein Code per E-Mail

code-on-its-way = Ihr Code ist unterwegs an { $destination }.
code-delayed = Das Senden Ihres Codes an { $destination } verzögert sich: Unser Mailserver antwortet gerade nicht. Wir versuchen es weiter, und diese Seite aktualisiert sich, sobald er verschickt ist.
code-sent = Wir haben einen 6-stelligen Code an { $destination } gesendet.
code-expires-in = Der Code läuft ab in { $time }
code-unknown-destination = die Adresse dieses Kontos, falls es existiert
code-attempts-left = noch { $attempts } Versuch(e)
code-check-again = Erneut prüfen
code-label = Bestätigungscode
code-verify = Bestätigen
code-expired = Ihr Code ist abgelaufen. Fordern Sie einen neuen Code an, oder beginnen Sie neu.
code-locked = Zu viele falsche Versuche für diesen Code. Fordern Sie einen neuen Code an, oder beginnen Sie neu.
code-send-new = Neuen Code senden
code-send-new-in = Neuen Code senden (in { $wait } s)
code-resent = Ein neuer Code ist unterwegs. Er ersetzt den vorherigen.
verify-title = E-Mail bestätigen
verify-heading = Prüfen Sie Ihre E-Mails
email-verify-title = Neue Adresse bestätigen
back-to-account = Zurück zu Ihrem Konto

## Ein Passwort zurücksetzen

recover-title = Passwort zurücksetzen
recover-link-expired = Dieser Link funktioniert nicht mehr: Sein Code ist abgelaufen, oder ein neuerer hat ihn ersetzt. Beginnen Sie hier neu.
recover-intro = Geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse ein. Wir senden einen Code an die Adresse des Kontos; damit wählen Sie ein neues Passwort.
recover-send = Code senden
recover-back = Zurück zur Anmeldung
new-password-title = Neues Passwort wählen
new-password = Neues Passwort
new-password-repeat = Neues Passwort wiederholen
new-password-set = Neues Passwort festlegen
new-password-nothing = In diesem Browser wartet kein Zurücksetzen auf ein neues Passwort: Es wurde abgeschlossen oder ist abgelaufen (Sie haben nach der Eingabe des Codes zehn Minuten Zeit).

## Die Kontoseite

account-sign-in-first = Bitte melden Sie sich an, um Ihr Konto zu verwalten.
account-app-receives = erhält: { $scopes }
account-app-withdraw = { $app } den Zugriff entziehen
account-delete-warning = Damit wird das Konto { $name } gelöscht, und Sie werden überall abgemeldet. Das lässt sich nicht rückgängig machen. Das Sicherheitsprotokoll des Kontos behalten wir ohne Adressen und Geräte, bis es abläuft.
account-delete-hint = Geben Sie zur Bestätigung Ihren Benutzernamen ein.

## Die Formulare der Kontoseite

account-title = Ihr Konto
account-password-changed = Ihr Passwort ist geändert. Ihre anderen Sitzungen wurden beendet, und wir haben Ihnen eine Nachricht geschickt.
account-email-changed = Ihre Adresse ist geändert. Wir haben beide Adressen benachrichtigt.
account-app-withdrawn = Der Zugriff der App ist entzogen: Sie ist abgemeldet und fragt Sie beim nächsten Mal erneut.
account-loading = Ihr Konto wird geladen…
account-back-to-dashboard = Zurück zur Übersicht
account-download = Meine Daten herunterladen
account-password-heading = Passwort ändern
account-current-password = Aktuelles Passwort
account-change-password = Passwort ändern
account-email-heading = E-Mail-Adresse ändern
account-email-intro = Wir senden einen Code an die neue Adresse; die Änderung wird wirksam, wenn Sie ihn eingeben.
account-new-email = Neue E-Mail-Adresse
account-password-first = Geben Sie zu Ihrer Sicherheit zuerst Ihr Passwort ein.
account-your-password = Ihr Passwort
account-continue = Weiter
account-apps-heading = Apps, denen Sie es erlaubt haben
account-no-apps = Keine App meldet Sie mit diesem Konto an.
account-delete-heading = Konto löschen
account-delete = Mein Konto löschen

## Zwei-Faktor-Anmeldung

security-intro = Mit eingeschalteter Zwei-Faktor-Anmeldung fragt die Anmeldung nach Ihrem Passwort und einem Code aus einer Authenticator-App auf Ihrem Telefon (jede App, die QR-Codes zur Anmeldung liest, etwa Aegis, Google Authenticator, Microsoft Authenticator oder 1Password).
security-sign-in-first = Bitte melden Sie sich an, um die Zwei-Faktor-Anmeldung zu verwalten.
security-on-since = Die Zwei-Faktor-Anmeldung ist eingeschaltet (seit { $when }).
security-codes-left = { $left ->
    [0] Es sind keine Wiederherstellungscodes mehr übrig: Erzeugen Sie jetzt einen neuen Satz.
    [one] 1 Wiederherstellungscode ist übrig.
   *[other] { $left } Wiederherstellungscodes sind übrig.
}
security-code-hint = 6 Ziffern. Der Code ändert sich alle 30 Sekunden.
security-codes-intro = Wenn Sie Ihr Telefon oder Ihre Passkeys verlieren, meldet Sie jeder dieser Codes einmal an ihrer Stelle an. Bewahren Sie sie sicher und getrennt von Ihren Geräten auf. Sie werden nur jetzt angezeigt.
security-copy = Codes kopieren
security-copied = Kopiert

## Die Formulare der Zwei-Faktor-Anmeldung

security-turned-off = Die Zwei-Faktor-Anmeldung ist ausgeschaltet. Wir haben Ihnen eine Nachricht geschickt.
security-required = Diese Website verlangt die Zwei-Faktor-Anmeldung für jedes Konto. Richten Sie sie ein, um fortzufahren.
security-passkey-added = Ihr Passkey ist hinzugefügt. Wir haben Ihnen eine Nachricht geschickt.
security-passkey-renamed = Ihr Passkey ist umbenannt. Wir haben Ihnen eine Nachricht geschickt.
security-passkey-removed = Ihr Passkey ist entfernt. Wir haben Ihnen eine Nachricht geschickt.
security-renew-heading = Neue Wiederherstellungscodes
security-renew-intro = Ein neuer Satz von zehn Codes ersetzt den alten: Die alten Codes funktionieren nicht mehr.
security-renew = Neue Wiederherstellungscodes erzeugen
security-disable = Zwei-Faktor-Anmeldung ausschalten
security-disable-intro = Die Anmeldung fragt dann nur nach Ihrem Passwort.
security-off-password-first = Die Zwei-Faktor-Anmeldung ist ausgeschaltet. Geben Sie zu Ihrer Sicherheit Ihr Passwort ein, um sie einzurichten.
security-off = Die Zwei-Faktor-Anmeldung ist ausgeschaltet.
security-set-up = Zwei-Faktor-Anmeldung einrichten
security-setup-heading = Richten Sie Ihre Authenticator-App ein
security-scan = Scannen Sie diesen QR-Code mit der App:
security-qr-label = QR-Code für Ihre Authenticator-App
security-open-in-app = Oder öffnen Sie ihn in der Authenticator-App auf diesem Gerät
security-type-key = Oder, wenn Sie nicht scannen können, fügen Sie ein Konto von Hand mit diesem Schlüssel hinzu (zeitbasiert):
security-enter-code = Geben Sie den Code ein, den die App jetzt zeigt:
security-code-label = Code aus der App
security-enable = Zwei-Faktor-Anmeldung einschalten
security-new-key = Mit einem neuen Schlüssel neu beginnen
security-codes-heading = Ihre Wiederherstellungscodes
security-on = Die Zwei-Faktor-Anmeldung ist eingeschaltet.
security-download = Codes herunterladen
security-saved = Ich habe meine Wiederherstellungscodes gespeichert
security-proof-code = Code aus Ihrer App oder ein Wiederherstellungscode

## Passkeys

passkeys-intro = Ein Passkey meldet Sie mit der Bildschirmsperre Ihres Geräts oder einem Sicherheitsschlüssel an, ohne Ihr Passwort. Er funktioniert nur auf der echten Adresse dieser Website, daher kann eine nachgemachte Website ihn nicht verwenden. Ein Passkey zählt auch als zweiter Faktor nach Ihrem Passwort.
passkeys-never = nie
passkeys-added-used = hinzugefügt { $added }, zuletzt verwendet { $used }.
passkeys-remove = { $name } entfernen
passkeys-name = Name des Passkeys
passkeys-name-hint = Damit Sie Ihre Passkeys unterscheiden können, etwa „Arbeitslaptop“.
passkeys-cancelled = Die Passkey-Anfrage wurde abgebrochen, oder die Zeit ist abgelaufen. Versuchen Sie es erneut, oder verwenden Sie Ihr Passwort.
passkeys-held = Dieser Authenticator enthält bereits einen Passkey für Ihr Konto.
passkeys-unsupported = Dieser Browser kann hier keine Passkeys verwenden. Verwenden Sie stattdessen Ihr Passwort.
passkeys-failed = Etwas ist schiefgegangen. Bitte versuchen Sie es erneut.

## Die Formulare der Passkeys

passkeys-heading = Passkeys
passkeys-unavailable = Passkeys sind auf dieser Website nicht verfügbar: Sie hat keine öffentliche Webadresse eingestellt.
passkeys-add = Passkey hinzufügen
passkeys-password-first = Geben Sie zu Ihrer Sicherheit Ihr Passwort ein, um Passkeys hinzuzufügen, umzubenennen oder zu entfernen.
passkeys-none = Sie haben noch keine Passkeys.
passkeys-new-name = Neuer Name
passkeys-rename = Umbenennen
