# Deutsch. Dieselben Nachrichten mit denselben Platzhaltern wie locales/en/.

## E-Mails

mail-hello = Hallo { $name },
mail-hello-anyone = Hallo,
mail-support = Brauchen Sie Hilfe? { $url }
mail-fact-when = Wann
mail-fact-device = Gerät
mail-fact-address = Adresse

duration-minutes = { $count ->
    [one] 1 Minute
   *[other] { $count } Minuten
}
duration-seconds = { $count ->
    [one] 1 Sekunde
   *[other] { $count } Sekunden
}

mail-registration-subject = Ihr Bestätigungscode für { $site }
mail-registration-intro = Ihr Bestätigungscode für { $site } lautet:
mail-registration-enter = Geben Sie ihn innerhalb von { $lifetime } auf der Bestätigungsseite ein. Wenn Sie sich nicht registriert haben, ignorieren Sie diese E-Mail: Ohne den Code wird kein Konto angelegt.

mail-recovery-subject = Ihr Code zum Zurücksetzen des Passworts für { $site }
mail-recovery-intro = Ihr Code zum Zurücksetzen des Passworts für { $site } lautet:
mail-recovery-enter = Geben Sie ihn innerhalb von { $lifetime } auf der Seite zum Zurücksetzen des Passworts ein. Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ohne den Code bleibt Ihr Passwort, wie es ist.
mail-recovery-handoff = Ein Administrator hat Ihnen diesen Code geschickt. Öffnen Sie diesen Link in Ihrem Browser und geben Sie den Code dort ein:
mail-recovery-handoff-link = Seite zum Zurücksetzen des Passworts öffnen

mail-email-change-subject = Bestätigen Sie Ihre neue Adresse für { $site }
mail-email-change-intro = Ihr Code zur Bestätigung Ihrer Adresse für { $site } lautet:
mail-email-change-enter = Geben Sie ihn innerhalb von { $lifetime } auf Ihrer Kontoseite ein. Wenn Sie diese Adresse nicht verwenden wollten, ignorieren Sie diese E-Mail: Ohne den Code ändert sich nichts.

mail-already-registered-subject = Jemand wollte sich mit Ihrer Adresse registrieren
mail-already-registered-what = jemand hat gerade versucht, diese E-Mail-Adresse für ein Konto bei { $site } zu verwenden. Sie gehört bereits zu einem Konto, daher wurde nichts geändert.
mail-already-registered-advice = Wenn Sie das waren, melden Sie sich stattdessen an. Wenn nicht, können Sie diese E-Mail ignorieren: Es hat sich nichts geändert.

mail-no-account-subject = Kein Konto bei { $site } verwendet diese Adresse
mail-no-account-what = jemand wollte das Passwort eines Kontos bei { $site } mit dieser E-Mail-Adresse zurücksetzen, aber kein Konto verwendet sie. Wenn Sie das waren, haben Sie sich vielleicht mit einer anderen Adresse registriert.
mail-no-account-advice = Wenn Sie das nicht waren, können Sie diese E-Mail ignorieren: Es ist nichts passiert.

mail-locked-subject = Ihr Konto bei { $site } wurde gesperrt
mail-locked-what = Ihr Konto bei { $site } wurde gesperrt: Jemand hat zu oft hintereinander versucht, sich mit einem falschen Passwort anzumelden. Bis es entsperrt ist, kann sich niemand anmelden, auch nicht mit dem richtigen Passwort.
mail-locked-how = Wenn Sie sich anmelden möchten, entsperren Sie es mit diesem Link (er funktioniert einmal, 24 Stunden lang):
mail-locked-link = Mein Konto entsperren
mail-locked-advice = Wenn die fehlgeschlagenen Anmeldungen nicht von Ihnen waren, hat Ihr Passwort gehalten: Niemand ist hineingekommen. Entsperren Sie das Konto, wenn Sie es nutzen möchten, und wählen Sie am besten ein längeres Passwort.

mail-invitation-subject = Sie sind eingeladen, ein Konto anzulegen
mail-invitation-what = Sie sind eingeladen, ein Konto bei { $site } anzulegen. Wählen Sie hier einen Benutzernamen und ein Passwort (der Link funktioniert einmal, bis { $until }):
mail-invitation-link = Mein Konto anlegen
mail-invitation-advice = Wenn Sie diese Einladung nicht erwartet haben, ignorieren Sie diese E-Mail: Ohne den Link wird kein Konto angelegt.

mail-password-changed-subject = Ihr Passwort bei { $site } wurde geändert
mail-password-changed-what = das Passwort Ihres Kontos bei { $site } wurde gerade geändert, und alle angemeldeten Sitzungen wurden beendet.
mail-password-changed-advice = Wenn Sie das waren, ist nichts zu tun. Wenn nicht, setzen Sie Ihr Passwort jetzt mit „Passwort vergessen?“ auf der Anmeldeseite zurück: Das kann nur, wer dieses Postfach lesen kann.

mail-email-changed-subject = Ihre Adresse bei { $site } wurde geändert
mail-email-changed-what = die E-Mail-Adresse Ihres Kontos bei { $site } wurde in { $address } geändert. E-Mails zum Konto gehen ab jetzt dorthin.
mail-email-changed-advice = Wenn Sie das waren, ist nichts zu tun. Wenn nicht, kennt jemand Ihr Passwort: Melden Sie sich an, ändern Sie Passwort und Adresse zurück und beenden Sie die anderen Sitzungen.

mail-email-now-yours-subject = Das ist jetzt Ihre Adresse bei { $site }
mail-email-now-yours-what = diese Adresse ist jetzt die E-Mail-Adresse Ihres Kontos bei { $site }.
mail-email-now-yours-advice = Wenn Sie das nicht veranlasst haben, schreiben Sie den Betreibern der Website.

mail-account-deleted-subject = Ihr Konto bei { $site } wurde gelöscht
mail-account-deleted-what = Ihr Konto bei { $site } und alles darin wurde gelöscht. Dies ist die letzte E-Mail, die Sie von uns dazu erhalten.
mail-account-deleted-advice = Wenn Sie das nicht waren, kannte jemand Ihr Passwort; das Konto lässt sich nicht wiederherstellen, aber Sie können sich neu registrieren.

mail-new-device-subject = Eine neue Anmeldung bei Ihrem Konto bei { $site }
mail-new-device-what = bei Ihrem Konto bei { $site } hat sich gerade jemand von einem Gerät oder Netz angemeldet, von dem aus das zuvor nie geschah.
mail-new-device-advice = Wenn Sie das waren, ist nichts zu tun. Wenn nicht, ändern Sie jetzt Ihr Passwort und beenden Sie die anderen Sitzungen in Ihrer Übersicht.

mail-two-factor-on-subject = Die Zwei-Faktor-Anmeldung ist für Ihr Konto bei { $site } eingeschaltet
mail-two-factor-on-what = die Zwei-Faktor-Anmeldung wurde für Ihr Konto bei { $site } eingeschaltet: Die Anmeldung fragt jetzt auch nach einem Code aus einer Authenticator-App.
mail-two-factor-on-advice = Wenn Sie das waren, bewahren Sie Ihre Wiederherstellungscodes sicher auf. Wenn nicht, kennt jemand Ihr Passwort: Setzen Sie es mit „Passwort vergessen?“ zurück und schreiben Sie den Betreibern der Website.

mail-two-factor-off-subject = Die Zwei-Faktor-Anmeldung ist für Ihr Konto bei { $site } ausgeschaltet
mail-two-factor-off-what = die Zwei-Faktor-Anmeldung wurde für Ihr Konto bei { $site } ausgeschaltet: Die Anmeldung fragt jetzt nur noch nach dem Passwort.
mail-two-factor-off-advice = Wenn Sie das waren, ist nichts zu tun. Wenn nicht, ändern Sie jetzt Ihr Passwort, beenden Sie die anderen Sitzungen in Ihrer Übersicht und schalten Sie die Zwei-Faktor-Anmeldung wieder ein.

mail-recovery-codes-replaced-subject = Neue Wiederherstellungscodes für Ihr Konto bei { $site }
mail-recovery-codes-replaced-what = für Ihr Konto bei { $site } wurden neue Wiederherstellungscodes erstellt; die alten Codes gelten nicht mehr.
mail-recovery-codes-replaced-advice = Wenn Sie das waren, bewahren Sie die neuen Codes sicher auf. Wenn nicht, ändern Sie jetzt Ihr Passwort und beenden Sie die anderen Sitzungen in Ihrer Übersicht.

mail-recovery-code-used-subject = Ein Wiederherstellungscode Ihres Kontos bei { $site } wurde verwendet
mail-recovery-code-used-what = einer Ihrer Wiederherstellungscodes wurde gerade zur Anmeldung bei Ihrem Konto bei { $site } verwendet. { $left ->
    [one] 1 Wiederherstellungscode ist noch übrig.
   *[other] { $left } Wiederherstellungscodes sind noch übrig.
}
mail-recovery-code-used-advice = Wenn Sie das waren, erstellen Sie auf der Sicherheitsseite Ihres Kontos neue, sobald nur noch wenige übrig sind. Wenn nicht, kennt jemand Ihr Passwort und einen Wiederherstellungscode: Ändern Sie das Passwort, erstellen Sie neue Wiederherstellungscodes und beenden Sie die anderen Sitzungen.

mail-recovery-paused-subject = Das Zurücksetzen des Passworts ist für Ihr Konto bei { $site } pausiert
mail-recovery-paused-what = für Ihr Konto bei { $site } wurden viele falsche Codes zum Zurücksetzen des Passworts eingegeben, daher ist das Zurücksetzen bis { $until } pausiert: Bis dahin funktioniert kein Code und es wird keiner verschickt. Ihr Passwort hat sich nicht geändert.
mail-recovery-paused-advice = Wenn Sie das waren, warten Sie bis dahin und fordern Sie dann einen neuen Code an. Wenn nicht, versucht jemand, Ihr Konto zu übernehmen: Es ist nichts zu tun, die Pause schützt es, und Sie können sich weiterhin mit Ihrem Passwort anmelden.

mail-passkey-advice = Wenn Sie das waren, ist nichts zu tun. Wenn nicht, ist jemand bei Ihrem Konto angemeldet: Entfernen Sie unbekannte Passkeys auf der Sicherheitsseite Ihres Kontos, ändern Sie Ihr Passwort und beenden Sie die anderen Sitzungen.
mail-passkey-added-subject = Ein Passkey wurde Ihrem Konto bei { $site } hinzugefügt
mail-passkey-added-what = ein Passkey namens „{ $name }“ wurde Ihrem Konto bei { $site } hinzugefügt: Er kann sich jetzt dort anmelden.
mail-passkey-renamed-subject = Ein Passkey Ihres Kontos bei { $site } wurde umbenannt
mail-passkey-renamed-what = ein Passkey Ihres Kontos bei { $site } wurde umbenannt ({ $names }).
mail-passkey-removed-subject = Ein Passkey wurde von Ihrem Konto bei { $site } entfernt
mail-passkey-removed-what = der Passkey namens „{ $name }“ wurde von Ihrem Konto bei { $site } entfernt: Er kann sich dort nicht mehr anmelden.
