# Deutsch: die Verwaltung.

## Menü und Listen der Verwaltung

console-title = Verwaltung
console-overview = Überblick
console-users = Benutzer
console-groups = Gruppen
console-invitations = Einladungen
console-clients = Apps
console-events = Sicherheitsprotokoll
console-codes = Code-Protokoll
console-your-dashboard = Ihre Übersicht
console-users-csv = Diese Konten als CSV herunterladen
console-users-none = Kein Konto passt.
console-events-csv = Diese Ereignisse als CSV herunterladen
console-events-none = Kein Ereignis passt.
console-codes-csv = Diese Codes als CSV herunterladen
console-codes-none = Kein Code passt.
console-page-title = { $page } · Verwaltung
console-loading = Wird geladen…
console-cancel = Abbrechen
console-remove = Entfernen
console-add = Hinzufügen
console-filter = Filtern
console-password-or-code = Ihr Passwort oder ein aktueller Code aus Ihrer App
console-group = Gruppe
console-account = Konto

## Die Benutzerliste

console-sort-username = Nach Benutzername
console-sort-newest = Neueste zuerst
console-filter-everyone = Alle
console-unverified = Unbestätigt
console-active = Aktiv
console-locked = Gesperrt
console-disabled = Deaktiviert
console-administrators = Administratoren
console-two-factor-on = Zwei-Faktor an
console-two-factor-off = Zwei-Faktor aus
console-account-deleted = Das Konto wurde gelöscht, und sein Inhaber hat eine letzte Nachricht bekommen.
console-search-label = Benutzername oder E-Mail beginnt mit
console-show = Anzeigen
console-order = Reihenfolge
console-search = Suchen
console-next-page = Nächste Seite
console-badge-admin = Admin
console-badge-two-factor = Zwei-Faktor

## Zustand eines Kontos und die Aktionen der Verwaltung

console-purpose-registration = Registrierung
console-purpose-recovery = Passwort-Wiederherstellung
console-purpose-email-change = Änderung der E-Mail-Adresse
console-action-disable = Konto deaktivieren
console-action-enable = Konto aktivieren
console-action-unlock = Anmeldesperre aufheben
console-action-end-sessions = Alle Sitzungen beenden
console-action-grant-admin = Zum Administrator machen
console-action-revoke-admin = Administratorrolle entziehen
console-action-reset-two-factor = Zwei-Faktor-Anmeldung zurücksetzen
console-action-delete = Konto löschen
console-action-resend-verification = Bestätigungscode erneut senden
console-action-send-recovery-code = Code zum Zurücksetzen des Passworts senden
console-action-disable-consequence = Das Konto kann sich nicht anmelden, bis es wieder aktiviert wird, und jede seiner Sitzungen endet jetzt.
console-action-enable-consequence = Das Konto kann sich wieder anmelden.
console-action-unlock-consequence = Die Anmeldesperre wird aufgehoben und die fehlgeschlagenen Anmeldungen werden vergessen.
console-action-end-sessions-consequence = Jede Sitzung des Kontos endet jetzt; es muss sich erneut anmelden.
console-action-grant-admin-consequence = Das Konto kann diese Verwaltung öffnen, sobald es die Zwei-Faktor-Anmeldung eingeschaltet hat.
console-action-revoke-admin-consequence = Das Konto kann diese Verwaltung nicht mehr öffnen.
console-action-reset-two-factor-consequence = Die Zwei-Faktor-Anmeldung und die Wiederherstellungscodes werden entfernt, für einen Inhaber, der beides verloren hat; bis zur neuen Einrichtung genügt das Passwort allein. Der Inhaber bekommt eine Nachricht.
console-action-resend-verification-consequence = Ein neuer Code geht an die Adresse des Kontos, und der alte funktioniert nicht mehr. Der Inhaber gibt ihn auf der Bestätigungsseite ein, die sich bei der Anmeldung mit dem Passwort öffnet.
console-action-send-recovery-code-consequence = Ein Code zum Zurücksetzen des Passworts geht an die Adresse des Kontos, mit einem Link, der das Zurücksetzen in dem Browser öffnet, in dem er angeklickt wird. Das Passwort bleibt, bis der Inhaber dort ein neues festlegt.
console-action-delete-consequence = Das Konto und seine Sitzungen werden gelöscht, und der Inhaber bekommt eine letzte Nachricht. Seine Sicherheitsereignisse bleiben ohne Adressen und Geräte erhalten, bis sie ablaufen. Das lässt sich nicht rückgängig machen.
console-code-verified = Bestätigt
console-code-locked = Gesperrt
console-code-expired = Abgelaufen
console-code-waiting = Wartet auf den Code
console-code-sending = Wartet auf seine E-Mail

## Ein Konto in der Verwaltung

console-done = Erledigt: { $action }.
console-confirm-question = { $action }?
console-role-admin = Administrator
console-role-user = Benutzer
console-never = Nie
console-remove-from = Aus { $group } entfernen

## Die Seite eines Kontos

console-groups-saved = Gruppen gespeichert. Die nächste Anfrage des Kontos an eine App sieht sie.
console-state = Zustand
console-role = Rolle
console-last-sign-in = Letzte Anmeldung
console-actions = Aktionen
console-sessions = Sitzungen
console-no-sessions = Nirgends angemeldet.
console-emailed-codes = Per E-Mail gesendete Codes
console-none = Keine.
console-all-codes = Alle Codes dieses Kontos
console-security-events = Sicherheitsereignisse
console-proof-hint = Aktionen an Konten brauchen Ihr Passwort oder den Code Ihrer App aus den letzten Minuten.
console-confirm = Bestätigen
console-in-no-group = In keiner Gruppe.
console-add-to-group = Zu einer Gruppe hinzufügen
console-created = Angelegt

## Das Code-Protokoll

console-code-no-account = kein Konto (ein Platzhalter für eine vergebene Adresse)
console-not-yet = noch nicht
console-mail-sent = E-Mail gesendet { $when }
console-mail-sent-after = E-Mail gesendet { $when } nach { $failures } fehlgeschlagenen Versuch(en)
console-mail-not-sent = E-Mail noch nicht gesendet, { $failures } fehlgeschlagene(r) Versuch(e)
console-mail-swept = E-Mail-Zeile bereits entfernt
console-mail-error = letzter Fehler des Mailservers: { $error }
console-code-details = { $email } · ausgestellt { $issued } · Codes gesendet { $sent } · aktueller Code gesendet { $current } · läuft ab { $expires } · bestätigt { $verified } · falsche Versuche { $wrong } ({ $total } insgesamt) · { $delivery }

## Die Filter des Code-Protokolls

console-every-purpose = Jeder Zweck
console-every-state = Jeder Zustand
console-code-pending = Noch nicht bestätigt, nicht abgelaufen
console-code-expired-unverified = Unbestätigt abgelaufen
console-code-wrong-guesses = Mit falschen Versuchen
console-purpose = Zweck
console-account-filter = Konto (Benutzername oder E-Mail)
console-issued-from = Ausgestellt ab (JJJJ-MM-TT)
console-issued-until = Ausgestellt bis (JJJJ-MM-TT)
console-older-codes = Ältere Codes

## Das Sicherheitsprotokoll

console-deleted-account = gelöschtes Konto { $id }
console-by = von

## Die Filter des Sicherheitsprotokolls

console-kind = Art
console-every-kind = Jede Art
console-actor-filter = Von einem Administrator (Benutzername oder E-Mail)
console-ip = IP-Adresse
console-from = Von (JJJJ-MM-TT)
console-to = Bis (JJJJ-MM-TT)
console-older-events = Ältere Ereignisse

## Die Startseite der Verwaltung

console-series-registrations = Registrierungen
console-series-verifications = Bestätigungen
console-series-failed-codes = Falsche Codes
console-series-sign-ins = Anmeldungen
console-series-refusals = Ablehnungen
console-chart-summary = Registrierungen, Bestätigungen, falsche Codes, Anmeldungen und abgelehnte Anfragen pro Tag vom { $first } bis { $last }; der höchste Tageswert ist { $top }.
console-chart-range = { $first } bis { $last } (UTC)

## Die Zahlen der Verwaltung

console-accounts = Konten
console-all-accounts = Alle Konten
console-with-two-factor = Mit Zwei-Faktor
console-today = Heute (UTC)
console-codes-sent = Gesendete Codes
console-failed-sign-ins = Fehlgeschlagene Anmeldungen
console-refused-requests = Abgelehnte Anfragen
console-last-30-days = Die letzten 30 Tage
console-numbers = Die Zahlen, Tag für Tag
console-day = Tag

## Gruppen, Einladungen und Apps in der Verwaltung

console-group-created = Die Gruppe wurde angelegt.
console-group-saved = Die Gruppe wurde gespeichert.
console-member-added = Das Mitglied wurde hinzugefügt. Seine nächste Anfrage an eine App sieht es.
console-member-removed = Das Mitglied wurde entfernt. Seine nächste Anfrage an eine App sieht es.
console-remove-member = { $name } entfernen
console-group-name-hint = Kleinbuchstaben, Ziffern, - und _, etwa staff oder media-admins.
console-invitation-sent = Die Einladung ist unterwegs.
console-invitation-resent = Die Einladung wurde mit einem neuen Link erneut gesendet; der alte Link funktioniert nicht mehr.
console-invitation-revoked = Die Einladung wurde widerrufen; ihr Link funktioniert nicht mehr.
console-registration-invite = Die Registrierung ist nur mit Einladung möglich: Man registriert sich über den Link in der Einladung.
console-registration-closed = Die Registrierung ist geschlossen: Nur Eingeladene können sich registrieren, über den Link in ihrer Einladung.
console-registration-open = Die Registrierung steht allen offen; eine Einladung legt zusätzlich die Adresse fest und fügt die Gruppen hinzu.
console-no-groups-yet = Es gibt noch keine Gruppen.
console-groups-hint = Durch Kommas getrennt. Gruppen: { $groups }.
console-groups-optional = Gruppen (optional)
console-invitation-days = Tage, die der Link gilt
console-invitation-days-hint = 1 bis 90; leer: { $days } Tage.
console-command-line = die Kommandozeile
console-no-groups = keine Gruppen
console-invitation-details = Gesendet { $sent } von { $by }; { $groups }; gilt bis { $until }.
console-send-again = Erneut senden
console-revoke = Widerrufen
console-app-registered = Die App ist registriert.
console-app-new-secret = Die App hat ein neues Geheimnis; das alte funktioniert nicht mehr.
console-app-removed = Die App wurde entfernt; ihre Tokens funktionieren nicht mehr.
console-secret-of = Das Geheimnis von { $client }
console-every-account = jedes Konto
console-new-secret-for = Neues Geheimnis für { $app }
console-new-secret = Neues Geheimnis
console-remove-app-named = { $app } entfernen
console-rotate-question = Ein neues Geheimnis für { $app }?
console-rotate-warning = Das alte Geheimnis funktioniert sofort nicht mehr: Die App kann niemanden anmelden, bis sie das neue hat.
console-rotate = Neues Geheimnis erzeugen
console-remove-question = { $app } entfernen?
console-remove-warning = Ihre Tokens funktionieren sofort nicht mehr, und niemand kann sich mehr mit dieser Website bei ihr anmelden.
console-remove-app = App entfernen

## Die Seiten der Gruppen

console-group-deleted = Die Gruppe wurde gelöscht.
console-no-groups-listed = Noch keine Gruppen.
console-create-group = Gruppe anlegen
console-name = Name
console-create = Anlegen
console-members = Mitglieder
console-nobody-yet = Noch niemand.
console-add-member = Mitglied hinzufügen: Benutzername oder E-Mail
console-name-and-description = Name und Beschreibung
console-save = Speichern
console-rename-hint = Zugriffsregeln nennen Gruppen: Ändern Sie nach einer Umbenennung die Regeln, die den alten Namen nennen.
console-delete-group-link = Diese Gruppe löschen
console-delete-group-question = Diese Gruppe löschen?
console-delete-group-warning = Ihre Mitglieder verlieren bei ihrer nächsten Anfrage, was Regeln der Gruppe gewähren. Die Konten bleiben.
console-delete-group = Gruppe löschen
console-description = Beschreibung (optional)

## Die Seite der Einladungen

console-invite-someone = Jemanden einladen
console-send-invitation = Einladung senden
console-pending = Offen
console-no-invitations = Keine Einladung ist offen.

## Die Seite der Apps

console-provider-off = Die Anmeldung bei anderen Apps ist ausgeschaltet: Setzen Sie GATEHOUSE_OIDC_PROVIDER=true (und GATEHOUSE_PUBLIC_URL), um sie einzuschalten.
console-copy-secret = Kopieren Sie es jetzt in die App: Es wird nur dieses eine Mal angezeigt, und nur sein Hash wird aufbewahrt.
console-no-apps = Noch ist keine App registriert.
console-client-id = Client-ID
console-consent = Zustimmung
console-who-may-sign-in = Wer sich anmelden darf
console-redirect-uris = Weiterleitungsadressen
console-after-sign-out = Nach der Abmeldung
console-register-app = App registrieren
console-app-name = Name, den Benutzer sehen
console-client-id-hint = Buchstaben, Ziffern, '.', '_' und '-', etwa grafana.
console-app-name-hint = Etwa Grafana.
console-redirects-label = Weiterleitungsadressen, eine pro Zeile
console-redirects-hint = Genaue Adressen; https, oder http auf Loopback.
console-after-logout-label = Nach der Abmeldung, eine pro Zeile (optional)
console-after-logout-hint = Wohin die App Benutzer nach der Abmeldung schicken darf.
console-only-groups = Nur diese Gruppen (optional)
console-only-groups-hint = Gruppennamen durch Leerzeichen getrennt; leer: jedes Konto.
console-consent-explicit = Jeden Benutzer einmal fragen
console-consent-implicit = Nicht fragen (die eigene App der Website)
console-public-app = Öffentliche App (eine Telefon- oder Browser-App, die kein Geheimnis bewahren kann)
console-legacy-app = Ältere App, die kein PKCE senden kann
console-register = Registrieren

## Ausgang eines Ereignisses, Art einer App

console-outcome-success = erfolgreich
console-outcome-failure = fehlgeschlagen
console-kind-public = öffentlich
console-kind-confidential = vertraulich
console-kind-pkce-optional = vertraulich, PKCE optional
