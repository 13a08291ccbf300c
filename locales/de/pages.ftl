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

