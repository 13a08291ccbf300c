# Deutsch. Dieselben Nachrichten mit denselben Platzhaltern wie locales/en/.

## Der Rahmen jeder Seite

page-title = { $page } · { $site }
skip-to-content = Zum Inhalt springen
language-switch = Sprache
support-link = Hilfe und Support

## Die Startseite

home-title = Willkommen
home-heading = Willkommen bei { $site }
home-deleted = Ihr Konto ist gelöscht. Wir haben Ihnen zur Bestätigung eine letzte E-Mail geschickt.
home-intro = Legen Sie ein Konto an, bestätigen Sie Ihre E-Mail-Adresse mit einem Einmalcode und melden Sie sich an.
home-register = Registrieren
home-sign-in = Anmelden

## Eine Adresse ohne Seite

not-found-title = Seite nicht gefunden
not-found-text = Unter dieser Adresse gibt es nichts.
not-found-home = Zur Startseite

## Anmelden

sign-in-app-code = Oder geben Sie den Code ein, den Ihre Authenticator-App für { $site } anzeigt.

## Die Kontoseite

account-language-heading = Sprache
account-language-label = Sprache Ihrer Seiten und E-Mails
account-language-save = Sprache speichern

## Die Übersicht

dashboard-title = Übersicht
dashboard-recovery-code-used = Sie haben sich mit einem Wiederherstellungscode angemeldet; er funktioniert kein zweites Mal. { $left ->
    [one] 1 Wiederherstellungscode ist noch übrig.
   *[other] { $left } Wiederherstellungscodes sind noch übrig.
}
dashboard-new-recovery-codes = Neue erstellen
dashboard-sign-in-first = Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an, um Ihre Übersicht zu sehen.
dashboard-hello = Hallo, { $name }
dashboard-created = Konto angelegt
dashboard-previous-sign-in = Vorherige Anmeldung
dashboard-first-sign-in = Dies ist Ihre erste Anmeldung.
dashboard-two-factor = Zwei-Faktor-Anmeldung
dashboard-on = Ein
dashboard-off = Aus
dashboard-groups = Gruppen
dashboard-no-groups = Keine
dashboard-protect = Schützen Sie Ihr Konto mit einem zweiten Schritt bei der Anmeldung: einem Code aus einer Authenticator-App.
dashboard-turn-on-two-factor = Zwei-Faktor-Anmeldung einschalten
dashboard-account-settings = Kontoeinstellungen
sessions-heading = Wo Sie angemeldet sind
sessions-sign-out-others = Überall sonst abmelden
session-this-device = dieses Gerät
session-signed-in = angemeldet { $when }
session-last-seen = zuletzt gesehen { $when }
session-sign-out-label = { $device } ({ $ip }) abmelden
activity-heading = Letzte Aktivitäten

## Wörter, die viele Seiten brauchen

loading = Wird geladen …
sign-in-link = Anmelden
sign-out = Abmelden
account-username = Benutzername
account-email = E-Mail

## Die Nutzungsbedingungen, und ein Konto entsperren

terms-title = Nutzungsbedingungen akzeptieren
terms-version = Bevor es weitergeht, akzeptieren Sie bitte die Nutzungsbedingungen der Website (Version { $version }).
terms-accept = Akzeptieren und weiter
terms-none = Diese Website hat keine Nutzungsbedingungen, die Sie akzeptieren müssten.
terms-dashboard = Zu Ihrer Übersicht
terms-box-accept = Ich akzeptiere die
terms-box-link = Nutzungsbedingungen (öffnen sich in einem neuen Tab)
unlock-title = Konto entsperren
unlock-text = Ihr Konto wurde nach zu vielen fehlgeschlagenen Anmeldungen hintereinander gesperrt. Niemand konnte sich anmelden, auch Sie nicht. Entsperren Sie es und melden Sie sich dann mit Ihrem Passwort an.
unlock-button = Mein Konto entsperren

## Bei einer App anmelden (OpenID Connect)

oidc-allow-title = Eine App zulassen
oidc-allow-heading = Darf sich { $app } mit Ihrem Konto anmelden?
oidc-signed-in-as = Sie sind angemeldet als
oidc-will-receive = { $app } erhält:
oidc-withdraw-later = Sie können das jederzeit auf Ihrer Kontoseite widerrufen.
oidc-allow = Zulassen
oidc-deny = Ablehnen
oidc-returning-title = Zurück zur App
oidc-returning = Sie werden zu { $app } zurückgeleitet
oidc-continue = Weiter zu { $app }
oidc-logout-title = Abmelden?
oidc-logout-heading = Von dieser Website abmelden?
oidc-logout-text = Eine App möchte Sie abmelden. Wenn Sie sich hier abmelden, sind Sie bei jeder App abgemeldet, die diese Anmeldung nutzt.
oidc-stay = Angemeldet bleiben


## Ein Sicherheitsereignis

security-event-registration = Konto registriert
security-event-code-issued = Bestätigungscode gesendet
security-event-code-verified = E-Mail-Adresse bestätigt
security-event-code-failed = Falscher Bestätigungscode
security-event-resend = Neuer Bestätigungscode angefordert
security-event-sign-in = Angemeldet
security-event-sign-in-failed = Fehlgeschlagene Anmeldung
security-event-lockout = Konto nach zu vielen fehlgeschlagenen Anmeldungen gesperrt
security-event-unlock = Konto entsperrt
security-event-sign-out = Abgemeldet
security-event-session-revoked = Sitzung von einem anderen Gerät aus beendet
security-event-recovery-requested = Zurücksetzen des Passworts angefordert
security-event-password-reset = Passwort mit einem per E-Mail gesendeten Code zurückgesetzt
security-event-password-changed = Passwort geändert
security-event-email-change-requested = Neue E-Mail-Adresse angefordert
security-event-email-changed = E-Mail-Adresse geändert
security-event-account-deleted = Konto gelöscht
security-event-password-accepted = Passwort angenommen, zweiter Schritt erfragt
security-event-second-factor-failed = Falscher Zwei-Faktor-Code
security-event-two-factor-enabled = Zwei-Faktor-Anmeldung eingeschaltet
security-event-two-factor-disabled = Zwei-Faktor-Anmeldung ausgeschaltet
security-event-recovery-codes-replaced = Neue Wiederherstellungscodes erzeugt
security-event-recovery-code-used = Mit einem Wiederherstellungscode angemeldet
security-event-account-disabled = Konto von einem Administrator deaktiviert
security-event-account-enabled = Konto von einem Administrator aktiviert
security-event-sessions-ended = Alle Sitzungen von einem Administrator beendet
security-event-admin-granted = Administratorrolle vergeben
security-event-admin-revoked = Administratorrolle entzogen
security-event-two-factor-reset = Zwei-Faktor-Anmeldung von einem Administrator zurückgesetzt
security-event-group-created = Gruppe angelegt
security-event-group-changed = Gruppe umbenannt oder beschrieben
security-event-group-deleted = Gruppe gelöscht
security-event-group-member-added = Zu einer Gruppe hinzugefügt
security-event-group-member-removed = Aus einer Gruppe entfernt
security-event-oidc-client-added = App für die Anmeldung mit { $site } registriert
security-event-oidc-client-removed = App aus der Anmeldung mit { $site } entfernt
security-event-oidc-client-secret-rotated = Geheimnis der App ersetzt
security-event-oidc-signing-key-rotated = Signaturschlüssel der ID-Tokens ersetzt
security-event-oidc-app-allowed = Einer App die Anmeldung erlaubt
security-event-oidc-app-revoked = Einer App den Zugriff entzogen
security-event-oidc-access-denied = Anmeldung bei einer App abgelehnt: nicht in ihren Gruppen
security-event-oidc-token-replayed = Ein benutzter App-Code oder -Token wurde wiederverwendet; die Tokens der App wurden widerrufen
security-event-passkey-added = Passkey hinzugefügt
security-event-passkey-renamed = Passkey umbenannt
security-event-passkey-removed = Passkey entfernt
security-event-invitation-sent = Einladung gesendet
security-event-invitation-resent = Einladung erneut gesendet
security-event-invitation-revoked = Einladung widerrufen
security-event-invitation-used = Über eine Einladung registriert
security-event-terms-accepted = Nutzungsbedingungen angenommen
security-event-other = Sicherheitsereignis

## Ein Browser und sein System

device-on = { $browser } unter { $system }
device-unknown-browser = Unbekannter Browser
