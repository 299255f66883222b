# Les messages de coffre en français (Canada). Chaque identifiant de ../en/coffre.ftl est ici avec les mêmes
# arguments (un test le vérifie). Typographie : espace insécable avant « : », espace fine insécable avant ; ? !

## Réponses et préfixes

answer-yes = oui
error-line = erreur : { $message }
cause-line = cause : { $message }
time-unknown = inconnue

## Les rôles, tels que les gens les lisent

role-name = { $role ->
    [president] présidence
    [leader] chef
    [access-manager] responsable des accès
    [member] membre
    [auditor] vérification
   *[other] { $role }
}
owners-explained = la présidence ou le chef

## États du coffre

state-name = { $state ->
    [uninitialised] pas encore créé
    [sealed] scellé
    [unsealed] descellé
   *[other] { $state }
}

## Et ensuite

next-init = créez le coffre avec `coffre init --president NOM`
next-unseal-owner = la présidence ou le chef ouvre le coffre avec `coffre unseal`
next-wait-for-database = vérifiez que la base de données du coffre est en marche et accessible en écriture ; coffred sert alors de nouveau de lui-même (un propriétaire connecté peut sceller le coffre entre-temps : `coffre seal`)
next-wait-for-database-sealed = vérifiez que la base de données du coffre est en marche et accessible en écriture : coffred lui donne la modification de lui-même ; ensuite, la présidence ou le chef descelle le coffre (`coffre unseal`, ou la page web)
next-login-or-enroll = si on vous a remis un code d’inscription à usage unique, lancez `coffre enroll CODE` ; si vous êtes déjà inscrit, lancez `coffre login NOM`
next-line = Ensuite : { $next }.

## Sessions

session-none = vous n’êtes pas connecté à { $server } : lancez `coffre login NOM`
session-ended = votre session en tant que { $name } a pris fin le { $time } : lancez `coffre login { $name }`
session-no-home = impossible de trouver où garder votre session (HOME est-il défini ?) : donnez un chemin de fichier à COFFRE_SESSION

## coffre connect

connect-presented =
    Le démon à { $server } a présenté une autorité de certification dont l’empreinte SHA-256 est :

      { $grouped }
      ({ $fingerprint })
connect-where-fingerprint =
    Comparez-la avec l’empreinte qu’on vous a remise : la fiche de la personne qui vous a ajouté, la ligne que
    coffred a affichée à son démarrage (« certificat de l’autorité de certification … empreinte SHA-256 », ou en anglais « CA certificate … SHA-256 fingerprint »), ou `coffre status` sur un
    ordinateur déjà connecté. Ne lui faites pas confiance si vous ne pouvez pas la comparer.
connect-confirm-prompt = Est-ce la même empreinte ? Tapez oui pour lui faire confiance :{" "}
connect-not-confirmed = non confirmé : rien n’a été enregistré
connect-no-terminal = impossible de vous demander de confirmer l’empreinte (pas de terminal) : donnez --fingerprint HEX (telle qu’on vous l’a remise) ou --yes
connect-cannot-read-answer = impossible de lire votre réponse : { $reason }
connect-mismatch = ATTENTION : l’empreinte ne correspond pas. Attendue : { $expected } ; présentée par le démon : { $presented }. Quelqu’un intercepte peut-être la connexion, ou c’est un autre démon. Rien n’a été enregistré
connect-no-config-dir = impossible de trouver votre dossier de configuration (HOME est-il défini ?) : définissez COFFRE_CONFIG_DIR
connect-done = Connecté à { $server } (coffre { $state }) ; l’autorité de certification est épinglée dans { $config }.

## Deuxième facteur et inscription

second-factor-intro =
    Deuxième facteur : balayez ce code QR avec une application d’authentification (p. ex. Aegis, FreeOTP,
    Google Authenticator), ou ajoutez-y à la main l’URI ci-dessous. Gardez-le dans l’application seulement : il
    n’est affiché qu’une fois.
second-factor-qr-file = Le code QR est aussi écrit dans { $path } (lisible par vous seul) : ouvrez-le pour le balayer, puis supprimez-le.
enroll-finish-later =
    { $name } : ajoutez ce deuxième facteur à votre application, puis terminez avec
      coffre enroll CODE --totp NNNNNN (les 6 chiffres que l’application affiche)
enroll-passphrase-prompt = Choisissez votre phrase de passe (au moins 12 caractères) :{" "}
totp-prompt = Code affiché par votre application d’authentification :{" "}
totp-no-terminal = pas de terminal où taper le code : donnez-le avec --totp CODE
totp-cannot-read = impossible de lire le code au terminal : { $reason }
enroll-done =
    Bienvenue, { $name } : vous êtes inscrit, rôle { $role }.
    Ensuite : connectez-vous avec `coffre login { $name }`. Le code que vous venez de taper est maintenant utilisé :
    attendez que l’application affiche le suivant (30 secondes au plus) avant de vous connecter.
enroll-code-invalid = le code d’inscription { $code } n’en a pas l’air : il compte de 8 à 64 lettres et chiffres (les espaces et les tirets sont ignorés)

## Connexion, phrase de passe, déconnexion

login-passphrase-prompt = Phrase de passe de { $name } :{" "}
login-done = Connecté à { $server } en tant que { $name } ({ $role }). La session dure au plus jusqu’au { $until } ; `coffre logout` y met fin maintenant.
passwd-current-prompt = Phrase de passe actuelle :{" "}
passwd-new-prompt = Nouvelle phrase de passe (au moins 12 caractères) :{" "}
passwd-done = Votre phrase de passe est changée. Si vous êtes la présidence ou le chef, c’est aussi elle qui descelle le coffre désormais ; l’ancienne ne le fait plus. Vos autres sessions, sur d’autres ordinateurs ou navigateurs, sont terminées.
logout-not-logged-in = Vous n’étiez pas connecté.
logout-not-logged-in-to = Vous n’étiez pas connecté à { $server }.
logout-done = Déconnecté : la session a pris fin.
logout-deleted-anyway = { $message } ; la session gardée sur cet ordinateur a quand même été supprimée (le démon y met fin à son expiration)

## Descellement et scellement

unseal-prompt = Phrase de passe de la présidence ou du chef :{" "}
unseal-already = Le coffre était déjà descellé : rien à faire (votre phrase de passe n’a pas été vérifiée).
unseal-done =
    Le coffre est descellé.
    Ensuite : connectez-vous avec `coffre login NOM`.
seal-done =
    Le coffre est scellé : le démon ne garde aucune clé et toutes les sessions ont pris fin.
    Pour le rouvrir, la présidence ou le chef lance `coffre unseal`.

## coffre status

status-server = Serveur :
status-vault = Coffre :
status-vault-id = Identifiant :
status-ca = Empreinte de l’AC :
status-daemon = Démon :
status-audit-events = Événements du journal :
status-audit-head = Tête du journal :
status-audit-key = Clé du journal :
status-session = Session :
status-session-value = { $name } ({ $role }), jusqu’au { $until }
status-not-logged-in = non connecté
status-database = Base de données :
status-database-catching-up = il lui manque une modification que le journal d’audit contient : coffred la lui redonne de lui-même, et ne sert personne tant qu’elle ne l’a pas enregistrée (un propriétaire peut quand même sceller le coffre)
status-standby = En veille :
# $ago est un nombre et une unité (s, min, h).
status-standby-value = { $name } : { $state ->
    [armed] armé : si ce coffred s’arrête, il reprend le coffre et le descelle (sauf si la présidence ou le chef l’a scellé)
    [lost] sans nouvelles depuis { $ago } : vérifiez coffred sur { $name }, qui ne dit plus qu’il attend
   *[waiting] en attente : si ce coffred s’arrête, il reprend le coffre scellé, que la présidence ou le chef descelle ensuite
}{ $relays ->
    [yes]  ; entre-temps, il relaie ses clients vers ce coffred
   *[no] {""}
}


## Parts de récupération

shares-issued = Jeu de parts de récupération { $set } émis : { $threshold } de ces { $holders } détenteurs, ensemble, peuvent récupérer le coffre.
shares-issued-line = part { $number } pour { $holder } : { $file }
shares-hand-out = Remettez à chaque détenteur son propre fichier (imprimé, ou sur une clé USB gardée hors ligne), puis supprimez les copies d’ici. Le démon n’en garde aucune copie. Chaque détenteur garde aussi le guide imprimé : `coffre guide recovery` l’affiche (en anglais avec --lang en).


## Personnes et fiche de la nouvelle personne

person-added = { $name } ajouté ({ $role }).
person-reset = Inscription de { $name } réinitialisée ({ $role }) : son ancienne phrase de passe et son ancien deuxième facteur ne fonctionnent plus.
handout-hand-over = Imprimez la fiche ci-dessous et remettez-la à { $name } en main propre (jamais par courriel : le code ouvre son compte tant qu’il n’a pas servi).
handout-title = coffre : votre accès, { $name }
handout-role = Rôle :                  { $role }
handout-address = Adresse du coffre :     { $server }
handout-fingerprint = Certificat (SHA-256) :  { $fingerprint }
handout-code = Code à usage unique :   { $code }
handout-expires = À utiliser avant le :   { $expires }
handout-steps = Vos trois premières commandes (`coffre connect` affiche l’empreinte du certificat : ce doit être celle ci-dessus) :
handout-keep-private = Le code ne sert qu’une fois. Vous choisissez ensuite votre propre phrase de passe et ajoutez le deuxième facteur à une application d’authentification sur votre téléphone ; personne d’autre ne les connaît jamais. Détruisez cette fiche une fois inscrit.

## Fichiers et refus courants

file-empty-leave-out = { $path } est vide : omettez { $flag }

## Entrées

entry-password-prompt = Mot de passe de { $login } sur { $platform } :{" "}
entry-new-password-prompt = Nouveau mot de passe pour { $platform } :{" "}
entry-added = { $platform } ajoutée (version { $version }).
entry-updated = { $platform } modifiée (version { $version }).
entry-archived = { $platform } archivée ; son historique est conservé (`coffre entry list --archived` l’affiche).
entry-list-empty = Aucune entrée que vous pouvez voir.
entry-list-empty-hint = Aucune entrée que vous pouvez voir. Les entrées archivées s’affichent avec --archived ; la présidence ou le chef ajoute des entrées avec `coffre entry add PLATEFORME --category CATÉGORIE --login IDENTIFIANT`.
entry-edit-nothing = rien à changer : donnez au moins une option (voir `coffre entry edit --help`)
entry-flag-reason-empty = --reason est vide : dites ce qui s’est passé ; c’est consigné au journal d’audit
entry-flagged-already = { $platform } était déjà signalée comme compromise (depuis le { $since }) ; votre signalement est consigné aussi.
entry-flagged = { $platform } signalée comme compromise : `coffre rotation due` la liste jusqu’à ce que la présidence ou le chef confirme un nouveau mot de passe (`coffre rotate stage { $platform } --generate`).

## Tableaux et champs

answer-no = non
column = { $name ->
    [platform] PLATEFORME
    [category] CATÉGORIE
    [login] IDENTIFIANT
    [classification] CLASSIFICATION
    [lifecycle] CYCLE DE VIE
    [version] VERSION
    [updated] MODIFIÉE
    [created] CRÉÉE
    [by] PAR
    [changed] CHANGEMENTS
    [id] ID
    [requester] DEMANDEUR
    [state] ÉTAT
    [until] JUSQU’AU
    [reason] MOTIF
    [person] PERSONNE
    [scope] PORTÉE
    [expires] EXPIRE
    [granted-by] ACCORDÉ PAR
    [task] TÂCHE
    [seq] NO
    [time] HEURE
    [actor] AUTEUR
    [action] ACTION
    [target] CIBLE
    [outcome] RÉSULTAT
    [name] NOM
    [role] RÔLE
    [added-by] AJOUTÉ PAR
    [why] POURQUOI
    [since] DEPUIS
    [detail] DÉTAIL
    [pending-version] VERSION EN ATTENTE
    [staged-by] PRÉPARÉE PAR
   *[other] { $name }
}
field-label = { $name ->
    [platform] Plateforme :
    [category] Catégorie :
    [url] URL :
    [login] Identifiant :
    [recovery-contacts] Contacts de récupération :
    [classification] Classification :
    [lifecycle] Cycle de vie :
    [tags] Étiquettes :
    [version] Version :
    [totp-stored] Germe TOTP enregistré :
    [notes-stored] Notes enregistrées :
    [created] Créée le :
    [updated] Modifiée le :
    [rotation-due] Rotation à faire :
   *[other] { $name } :
}

## coffre reveal et le presse-papiers

secret-field = { $field ->
    [password] mot de passe
    [totp] code TOTP
    [totp-seed] germe TOTP
    [notes] notes
    [staged] mot de passe préparé
   *[other] { $field }
}
reveal-reason-empty = --reason est vide : dites pourquoi vous avez besoin du secret ; c’est consigné au journal d’audit
reveal-done = (affiché : { $what } de { $platform }, version { $version } ; consigné au journal d’audit, événement { $seq })
reveal-done-valid = (affiché : { $what } de { $platform }, version { $version } ; valide encore { $seconds ->
    [one] { $seconds } seconde
   *[other] { $seconds } secondes
} ; consigné au journal d’audit, événement { $seq })
reveal-not-text = ce secret n’est pas du texte et ne peut pas être affiché avec { $option } : affichez-le sans { $option }
json-cannot-encode = impossible d’encoder la sortie en JSON : { $reason }
clipboard-cannot-copy = impossible de copier dans le presse-papiers : { $reason }
clipboard-copied = copié ; le presse-papiers sera vidé dans { $seconds } s
clipboard-no-display = aucun presse-papiers (pas d’affichage graphique) : affichez le secret sans --copy
clipboard-unavailable = aucun presse-papiers ({ $reason }) : affichez le secret sans --copy
clipboard-cleared = presse-papiers vidé
clipboard-cannot-clear = attention : impossible de vider le presse-papiers ({ $reason }) : videz-le vous-même
clipboard-changed = le presse-papiers contient autre chose maintenant ; laissé tel quel

## Accès accordés

grant-until-not-a-date = --until { $text } n’est pas une date : écrivez-la comme 2026-12-31 (ou une heure RFC 3339)
grant-for-not-a-duration = --for { $text } n’est pas une durée : écrivez-la comme 14d, 12h ou 2w (jours, heures, semaines)
grant-for-zero = --for doit durer au moins une seconde
grant-scope-category = catégorie { $category }
grant-task-empty = --task est vide : dites à quoi sert l’accès ; c’est consigné au journal d’audit
grant-until-missing = dites jusqu’à quand : --until DATE ou --for DURÉE
grant-scope-missing = dites à quoi : --entry PLATEFORME ou --category CATÉGORIE
grant-added =
    Accès accordé à { $person } pour { $scope } jusqu’au { $until }, pour : { $task }
    Identifiant de l’accès : { $id } (`coffre grant revoke { $short }` y met fin plus tôt).
grant-state = { $state ->
    [live] actif
    [expired] expiré
    [revoked] révoqué
   *[other] { $state }
}
grant-revoked = Révoqué : { $person } n’a plus accès à { $scope }.

## Rotation

rotate-policy-without-generate = les options du générateur (--length, --words, --no-...) vont avec --generate
rotate-staged = Nouveau mot de passe préparé pour { $platform }, version { $version } (rotation { $id }).
rotate-staged-generated = Nouveau mot de passe préparé pour { $platform }, version { $version } (rotation { $id }), généré par le démon ({ $bits } bits).
rotate-staged-next =
    Ensuite :
      1. coffre reveal { $platform } --pending --reason "rotation"
      2. changez le mot de passe sur la plateforme et vérifiez qu’il fonctionne
      3. coffre rotate confirm { $platform }    (ou : coffre rotate cancel { $platform })
rotate-confirmed = { $platform } utilise maintenant la version { $version } ; l’ancien mot de passe reste dans `coffre entry history { $platform }`.
rotate-cancelled = Rotation préparée par { $by } le { $time } annulée ; { $platform } utilise toujours la version { $version }.
rotation-none-due = Aucun mot de passe n’est à changer.
rotation-why = { $kind ->
    [age] ancienneté
    [offboarded] départ
    [compromised] compromis
   *[other] { $kind }
}
# Le détail d’une raison de changer un mot de passe (DueDetail du moteur, par code). « offboarded » est le texte
# qu’un coffred plus ancien a écrit au départ de la personne, conservé en anglais dans l’entrée ; « left » est ce
# qu’on dit à qui ne doit pas savoir qui est parti.
rotation-detail-age = mot de passe inchangé depuis { $days } jours ; au plus { $max_days } jours pour cette catégorie
rotation-detail-offboarded = { $text }
rotation-detail-offboarded-unknown = affiché par { $person }, parti·e depuis, avant que coffre note quelle version
rotation-detail-offboarded-codes = affiché par { $person }, parti·e depuis ; a vu seulement les codes 2FA de la plateforme, pas le mot de passe
rotation-detail-offboarded-staged = affiché par { $person }, parti·e depuis ; a vu le mot de passe préparé pour le changement (version { $version })
rotation-detail-offboarded-current = affiché par { $person }, parti·e depuis ; a vu la version actuelle ({ $version })
rotation-detail-offboarded-replaced = affiché par { $person }, parti·e depuis ; a vu la version { $version }, remplacée depuis (la version actuelle est { $current })
rotation-detail-left = une personne qui y avait accès est partie
rotation-detail-compromised = signalé compromis par { $by } : { $reason }
rotation-due-next = Changez chacun sur sa plateforme avec `coffre rotate stage PLATEFORME --generate`.
rotation-staged-heading = Préparés, en attente de `coffre rotate confirm` ou `cancel` :

## coffre init

kdf-memory-too-small = --kdf-memory-kib { $memory } est trop petit : utilisez au moins { $min } (8 Mio) ; omettez-le pour la valeur recommandée
kdf-memory-too-large = --kdf-memory-kib { $memory } est trop grand : au plus { $max } (4 Gio)
kdf-iterations-out-of-range = --kdf-iterations { $iterations } est hors limites : utilisez de 1 à { $max } ; omettez-le pour la valeur recommandée
init-passphrase-prompt = Choisissez la phrase de passe de { $name } (au moins 12 caractères) :{" "}
init-done = Le coffre est créé (identifiant { $id }) et descellé. { $name } en assure la présidence.
init-leader-code =
    Code d’inscription à usage unique pour { $leader } : { $code }
    Il expire le { $expires } : remettez ce code à { $leader } en main propre ; cette personne lance `coffre enroll { $code }`.
init-no-shares = Aucune part de récupération n’a été émise : si les phrases de passe sont oubliées, le coffre est perdu. Émettez-les avec `coffre recovery rekey --holder president=age1... --holder leader=age1... --shares-dir DOSSIER`.
init-next = Ensuite : connectez-vous avec `coffre login { $name }` (on vous demandera votre phrase de passe et le code de l’application).

## Personnes

person-state = { $state ->
    [pending] en attente
    [active] active
    [offboarded] partie
   *[other] { $state }
}
person-offboarded = Départ de { $name } : compte désactivé (son historique est conservé), { $sessions ->
    [one] { $sessions } session terminée
   *[other] { $sessions } sessions terminées
}, { $grants ->
    [one] { $grants } accès actif révoqué
   *[other] { $grants } accès actifs révoqués
}.
person-offboarded-nothing-revealed = Cette personne n’a affiché aucun mot de passe : rien à changer.
person-offboarded-revealed = Cette personne a affiché ces entrées (ce qu’elle a vu est indiqué) ; changez chacune sur sa plateforme, puis dans coffre :
person-offboarded-share-holder = Cette personne détient aussi la part de récupération « { $holder } » : elle compte encore pour une récupération, et sa clé age ouvre encore chaque nouvelle sauvegarde. Émettez maintenant un nouveau jeu de parts sans elle (`coffre recovery rekey --holder NOM=age1... ...`).
person-offboarded-saw = { $platform } : a vu { $seen }
# Ce qu’une personne partie a vu d’une entrée (Seen du moteur, par code) ; la ligne ci-dessus sert pour un démon plus ancien.
person-offboarded-saw-unknown = { $platform } : affiché avant que coffre note quelle version
person-offboarded-saw-codes = { $platform } : a vu seulement les codes 2FA de la plateforme, pas le mot de passe
person-offboarded-saw-staged = { $platform } : a vu le mot de passe préparé pour le changement (version { $version })
person-offboarded-saw-current = { $platform } : a vu la version actuelle ({ $version })
person-offboarded-saw-replaced = { $platform } : a vu la version { $version }, remplacée depuis (la version actuelle est { $current })

## Refus du démon : `daemon-<code>` pour les codes d’erreur du moteur, `daemon-reason-<code>` pour les motifs
## qu’un refus nomme (crates/vault/src/reasons.rs).

daemon-uninitialised = le coffre n’est pas encore créé : lancez `coffre init`
daemon-already-initialised = le coffre est déjà créé
daemon-sealed = le coffre est scellé : demandez à la présidence ou au chef de le desceller (avec `coffre unseal`)
daemon-no-session = vous n’êtes pas connecté, ou votre session a expiré : lancez `coffre login NOM`
daemon-wrong-credentials = nom, phrase de passe ou code erroné
daemon-wrong-code = code erroné ou déjà utilisé : tapez le code que votre application d’authentification affiche maintenant (vérifiez son heure)
daemon-wrong-passphrase = phrase de passe erronée : elle n’ouvre l’emplacement de clé d’aucun propriétaire du coffre
daemon-bad-enrolment-code = code d’inscription invalide, déjà utilisé ou expiré : demandez-en un nouveau à la présidence ou au chef
daemon-shares-do-not-open = ces parts n’ouvrent pas l’emplacement de récupération de ce coffre : l’une d’elles est falsifiée ou abîmée ; les parts remises ont été écartées, recommencez avec les fichiers de parts des détenteurs
daemon-bad-recovery-token = cette récupération est déjà terminée, ou ses 10 minutes sont écoulées : recommencez la récupération avec k parts
daemon-denied = permission refusée : { $reason }
daemon-invalid = valeur invalide pour { $field } : { $problem }
daemon-not-found = { $reason }
daemon-exists = il existe déjà { $reason }
daemon-wrong-state = { $reason }
daemon-throttled = trop de tentatives : réessayez dans { $seconds } s
daemon-store-unavailable = la base de données du coffre est indisponible, rien n’a été affiché ni changé ({ $detail }). coffred se reconnecte de lui-même : réessayez dans un moment ; si cela dure, vérifiez que PostgreSQL est en marche et joignable depuis coffred
daemon-store-tls = la base de données du coffre n’a pas passé la vérification TLS, rien n’a été affiché ni changé : { $detail }. Vérifiez que [storage] ca_file est l’autorité de certification qui a signé le certificat du serveur de base de données, que ce certificat nomme l’hôte de [storage] url et que le serveur a ssl = on (docs/ha.md)
daemon-audit-unavailable = journal d’audit indisponible, rien n’a été affiché ni changé : { $detail } ; libérez de l’espace disque ou vérifiez le dossier de données
daemon-store-refused = la modification est dans le journal d’audit, mais la base l’a refusée ({ $detail }) ; le coffre a été scellé : vérifiez la base (le disque du dossier de données, ou la base de données : en marche et accessible en écriture), puis descellez-le de nouveau, ce qui applique la modification à partir du journal. Ne refaites pas la modification.
daemon-store-rolled-back = la base de données du coffre a perdu des modifications qu’elle avait enregistrées ({ $place }) : sa copie du journal d’audit s’arrête à l’événement { $copy_ends }, avant l’événement { $took }, qu’elle avait enregistré (une réplique en retard a-t-elle été promue, ou une sauvegarde restaurée, sous un coffred en marche ?). Rien n’a été affiché, et le coffre a été scellé : le descellement par un propriétaire redonne à la base, à partir du journal d’audit, toutes les modifications qu’elle a perdues, y compris celle que cette demande a pu faire. Ne la refaites pas.
daemon-store-behind = la modification est dans le journal d’audit, mais la base de données du coffre ne l’a pas enregistrée ({ $detail }) ; coffred la lui redonne de lui-même dès qu’elle répond et, d’ici là, répond à toute demande que le service est indisponible (un propriétaire peut quand même sceller le coffre). Ne refaites pas la modification : quand la base répondra, vérifiez-la.
daemon-store-catching-up = il manque à la base de données du coffre une modification que le journal d’audit contient, donc rien n’a été affiché ni changé : coffred la lui redonne de lui-même ; réessayez dans un moment. Si cela dure, vérifiez que la base de données est en marche et accessible en écriture, ou redémarrez coffred (il attendra alors qu’un propriétaire le descelle, ce qui applique la modification).
daemon-audit-chain-broken = le journal d’audit est rompu à l’événement { $seq } : { $problem } ; rien à partir de cet événement n’est fiable, et un coffre dont le journal est rompu ne se descelle pas. Gardez ce dossier de données pour l’enquête et restaurez le coffre à partir d’une sauvegarde (voir `coffre guide recovery`)
daemon-audit-damaged = le journal d’audit est endommagé : { $file } à l’octet { $offset } : { $problem } ; le dernier événement intact est le { $last_good }. Rien n’a été coupé et le coffre reste scellé : gardez ce dossier de données tel quel et suivez `coffre guide recovery` (restaurer une sauvegarde, ou récupérer le journal dans un nouveau dossier)
daemon-store-damaged = la base du coffre est endommagée : { $file } : { $problem }. Rien n’a été modifié et le coffre reste scellé : gardez ce dossier de données tel quel, puis reconstruisez la base à partir du journal d’audit dans un nouveau dossier (`coffred rebuild-store`) ou restaurez une sauvegarde (voir `coffre guide recovery`)
daemon-header-changed = l’en-tête de scellement a été modifié : il ne porte pas le MAC que la clé de ce coffre a calculé (emplacements de clé, paramètres Argon2 ou emplacement de récupération modifiés sur le disque) ; le coffre reste scellé : restaurez le dossier de données à partir d’une sauvegarde (voir `coffre guide recovery`)
daemon-migrate-no-sled-store = il n’y a pas de base sled à déplacer dans { $path } : les enregistrements de ce coffre sont déjà dans PostgreSQL (démarrez alors coffred avec cette configuration et descellez-le), ou ce n’est pas le dossier de données du coffre (vérifiez --data-dir)
daemon-migrate-schema-not-empty = { $place } contient déjà des enregistrements, et un coffre n’est déplacé que dans un schéma vide : nommez-en un autre avec [storage] schema (--storage-schema), ou supprimez ce schéma dans PostgreSQL si ce qu’il contient n’est plus utile ; rien n’a été modifié
daemon-migrate-copy-differs = la copie dans { $place } ne se relit pas comme la base sled (à l’enregistrement { $record }) ; rien n’a été modifié dans le dossier de données : consultez le journal du serveur de base de données, supprimez ce schéma et relancez coffred migrate
daemon-internal = erreur interne ; consultez le journal du démon

daemon-reason-approval-not-needed-for-owners = la présidence et le chef affichent les entrées très confidentielles sans approbation
daemon-reason-approval-not-needed = cette entrée n’est pas très confidentielle : elle n’a besoin d’aucune approbation, affichez-la avec `coffre reveal`
daemon-reason-approval-already-asked = une demande de votre part pour cette entrée, en attente ou approuvée et pas encore utilisée (voir `coffre approval list`)
daemon-reason-approval-expired = cette demande a expiré avant que quelqu’un la tranche : il faut la refaire
daemon-reason-approval-decided-already = cette demande est déjà tranchée : voir `coffre approval list --all`
daemon-reason-no-request = aucune demande avec cet identifiant : voir `coffre approval list --all`
daemon-reason-enrolment-not-started = cette inscription n’a pas commencé : lancez `coffre enroll CODE` sans --totp
daemon-reason-current-passphrase-wrong = la phrase de passe actuelle est erronée : rien n’a été changé
daemon-reason-decide-own-request = vous ne pouvez pas trancher votre propre demande : c’est à l’autre (la présidence ou le chef) de le faire
daemon-reason-one-president = un coffre a une seule présidence, nommée à sa création
daemon-reason-president-adds-leader = seule la présidence peut ajouter un chef
daemon-reason-manager-adds-members = un responsable des accès ne peut ajouter que des membres
daemon-reason-president-manages-leader = seule la présidence peut faire partir le chef ou réinitialiser son inscription
daemon-reason-manager-grants-members = un responsable des accès ne peut accorder l’accès qu’à des membres
daemon-reason-auditors-get-no-grant = les vérificateurs n’affichent jamais de secrets : ils ne reçoivent aucun accès
daemon-reason-owners-see-everything = la présidence et le chef voient déjà tout
daemon-reason-no-entry = aucune entrée de ce nom : voir `coffre entry list`
daemon-reason-manager-revokes-own = un responsable des accès ne peut révoquer que les accès qu’il a accordés
daemon-reason-no-live-grant = aucun accès en vigueur ne couvre cette entrée ; demandez-en un à la présidence ou à un responsable des accès
daemon-reason-manager-ceiling = un responsable des accès ne peut accorder l’accès qu’à des entrées existantes publiques ou restreintes : vérifiez le nom de la plateforme avec `coffre entry list`, ou demandez à la présidence ou au chef
daemon-reason-needs-approval = une entrée très confidentielle demande l’approbation de la présidence ou du chef à chaque affichage : lancez `coffre approval request PLATEFORME --reason TEXTE`, puis demandez-leur de l’approuver
daemon-reason-approval-pending = votre demande d’approbation attend la décision de la présidence ou du chef
daemon-reason-offboard-self = vous ne pouvez pas vous faire partir vous-même
daemon-reason-reset-own-enrolment = vous ne pouvez pas réinitialiser votre propre inscription : changez votre phrase de passe avec `coffre passwd`
daemon-reason-offboard-president = personne ne fait partir la présidence
daemon-reason-reset-president = seules la phrase de passe et le deuxième facteur de la présidence ouvrent son compte
daemon-reason-auditors-never-reveal = les vérificateurs n’affichent jamais de secrets
daemon-reason-auditors-read-no-entries = les vérificateurs lisent le journal d’audit, pas les entrées
daemon-reason-auditors-see-approvals-in-log = les vérificateurs voient les demandes d’approbation dans le journal d’audit
daemon-reason-owners-export-contacts = seuls la présidence ou le chef peuvent exporter les contacts de récupération : retirez --with-recovery-contacts
daemon-reason-export-register = seuls la présidence, le chef et les vérificateurs peuvent exporter le registre
daemon-reason-owners-reveal-totp-seed = seuls la présidence ou le chef peuvent afficher un germe TOTP : affichez le code actuel avec `--field totp`
daemon-reason-owners-rotate = seuls la présidence ou le chef peuvent changer les mots de passe
daemon-reason-owners-see-due = seuls la présidence ou le chef peuvent voir quels mots de passe sont à changer
daemon-reason-owners-decide = seuls la présidence ou le chef peuvent approuver ou refuser une demande
daemon-reason-owners-seal = seuls la présidence ou le chef peuvent sceller le coffre
daemon-reason-owners-change-entries = seuls la présidence ou le chef peuvent modifier les entrées
daemon-reason-owners-see-old-versions = seuls la présidence ou le chef peuvent voir les anciennes versions
daemon-reason-owners-rekey = seuls la présidence ou le chef peuvent émettre des parts de récupération
daemon-reason-owners-backup = seuls la présidence ou le chef peuvent faire une sauvegarde
daemon-reason-owners-see-recovery = seuls la présidence ou le chef peuvent voir qui détient les parts de récupération et quelles sauvegardes ont été écrites
daemon-reason-managers-manage-people = seuls la présidence, le chef ou un responsable des accès peuvent gérer les personnes
daemon-reason-owners-offboard = seuls la présidence ou le chef peuvent faire partir des personnes ou réinitialiser leur inscription
daemon-reason-managers-grant = seuls la présidence, le chef ou un responsable des accès peuvent accorder ou révoquer des accès
daemon-reason-auditors-see-grants-in-log = les vérificateurs voient les accès dans le journal d’audit
daemon-reason-read-audit = seuls la présidence, le chef et les vérificateurs peuvent lire le journal d’audit
daemon-reason-entry-exists = une entrée pour cette plateforme
daemon-reason-too-many-versions = cette entrée a trop de versions
daemon-reason-no-version = aucune version de ce numéro pour cette entrée : voir `coffre entry history`
daemon-reason-no-field-in-version = cette entrée n’a pas ce champ secret dans cette version
daemon-reason-no-person = aucune personne de ce nom : voir `coffre person list`
daemon-reason-offboarded-no-grant = cette personne est partie : les personnes parties ne reçoivent aucun accès
daemon-reason-grant-revoked-already = cet accès est déjà révoqué
daemon-reason-no-grant = aucun accès avec cet identifiant : voir `coffre grant list`
daemon-reason-log-without-vault = le dossier de données contient un journal d’audit mais pas de coffre : démarrez coffred sur un dossier de données vide
daemon-reason-person-exists = une personne de ce nom (les personnes parties gardent leur nom)
daemon-reason-offboarded-already = cette personne est déjà partie
daemon-reason-offboarded-never-reopened = cette personne est partie : un compte fermé n’est jamais rouvert
daemon-reason-no-share-set = ce coffre n’a aucun jeu de parts de récupération : la présidence ou le chef en émet un avec `coffre recovery rekey`
daemon-reason-no-person-in-vault = aucune personne de ce nom dans ce coffre
daemon-reason-no-president = ce coffre n’a pas de présidence : nommez le propriétaire dont la phrase de passe doit être définie
daemon-reason-archived-not-rotated = cette entrée est archivée : on ne change pas le mot de passe d’un compte archivé
daemon-reason-rotation-staged-already = une rotation est déjà préparée pour cette entrée : confirmez-la ou annulez-la d’abord
daemon-reason-archived-cancel-rotation = cette entrée est archivée : annulez sa rotation préparée
daemon-reason-rotation-base-changed = les secrets de cette entrée ont changé depuis la préparation de la rotation : annulez-la et préparez-en une nouvelle
daemon-reason-staged-password-only = une rotation préparée ne contient qu’un nouveau mot de passe : affichez-le avec --field password
daemon-reason-totp-seed-unreadable = le germe TOTP de cette entrée n’est pas du texte base32 : la présidence ou le chef doit le remplacer avec `coffre entry edit PLATEFORME --totp-seed-file FICHIER`
daemon-reason-no-rotation-staged = aucune rotation n’est préparée pour cette entrée : préparez-en une avec `coffre rotate stage PLATEFORME`
daemon-reason-no-age-holder = aucun détenteur de part n’a de clé age pour chiffrer les sauvegardes : émettez un jeu de parts dont les détenteurs sont nommés avec des clés age1... (`coffre recovery rekey --holder NOM=age1...`)
daemon-reason-rotation-restaged = la rotation préparée maintenant n’est pas celle que vous avez nommée (elle a été annulée et préparée de nouveau) : voir `coffre rotation due` pour savoir qui a préparé la rotation actuelle

## Valeurs invalides : `daemon-field-<code>` et `daemon-problem-<code>` (crates/vault/src/problems.rs), insérés dans
## daemon-invalid.

daemon-field-platform = la plateforme
daemon-field-new-platform = le nouveau nom de plateforme
daemon-field-page-token = le repère de page
daemon-field-page-size = la taille de page
daemon-field-limit = la limite
daemon-field-url = l’adresse (URL)
daemon-field-login = l’identifiant
daemon-field-recovery-contact = le contact de récupération
daemon-field-tag = l’étiquette
daemon-field-password = le mot de passe
daemon-field-totp-seed = la clé du deuxième facteur (TOTP)
daemon-field-notes = les notes
daemon-field-reason = le motif
daemon-field-task = la tâche
daemon-field-person = la personne
daemon-field-name = le nom
daemon-field-president = la présidence
daemon-field-leader = le chef
daemon-field-owner = la présidence ou le chef
daemon-field-holder = le détenteur
daemon-field-holders = les détenteurs
daemon-field-threshold = le seuil
daemon-field-share = la part
daemon-field-request-id = l’identifiant de la demande
daemon-field-grant-id = l’identifiant de l’accès
daemon-field-rotation-id = l’identifiant de la rotation
daemon-field-expiry = l’échéance
daemon-field-generator-policy = la règle du générateur
daemon-field-kdf = les paramètres de dérivation de clé

daemon-problem-empty = ne doit pas être vide
daemon-problem-too-many-chars = { $chars } caractères ; { $max } au plus
daemon-problem-too-many-bytes = { $bytes } octets ; { $max } au plus
daemon-problem-too-many-items = { $items } éléments ; { $max } au plus
daemon-problem-empty-item = aucun élément ne doit être vide
daemon-problem-control-characters = ne doit pas contenir de caractères de contrôle
daemon-problem-not-an-id = il faut 8 à 32 caractères hexadécimaux, tels que `{ $command }` les affiche
daemon-problem-not-a-rotation-id = il faut 8 à 32 caractères hexadécimaux, tels que `coffre rotate stage` les a affichés
daemon-problem-ambiguous-request-id = plusieurs demandes commencent ainsi : donnez-en davantage
daemon-problem-ambiguous-grant-id = plusieurs accès commencent ainsi : donnez-en davantage
daemon-problem-reason-required = obligatoire : dites pourquoi vous avez besoin de ce secret
daemon-problem-request-reason-required = obligatoire : dites pourquoi vous avez besoin de ce secret ; la présidence et le chef le liront
daemon-problem-task-required = obligatoire : dites à quoi sert l’accès
daemon-problem-report-required = obligatoire : dites ce qui s’est passé (ce qui a été exposé, quand, comment)
daemon-problem-totp-seed-not-text = il faut du texte base32, tel que la plateforme l’affiche pour une application
daemon-problem-totp-seed-invalid = ce n’est pas une clé qu’une application d’authentification accepte (16 à 103 caractères base32 : lettres A-Z et chiffres 2-7) ; copiez la clé que la plateforme affiche sous « entrer cette clé manuellement »
daemon-problem-too-many-events = { $max } événements par page au plus
daemon-problem-too-many-entries = { $max } entrées par page au plus
daemon-problem-expiry-past = elle n’est pas dans le futur
daemon-problem-expiry-too-far = elle est trop lointaine : un accès dure au plus { $days } jours
daemon-problem-leader-is-president = ce doit être une autre personne que la présidence
daemon-problem-kdf-out-of-bounds = { $detail }
daemon-problem-holders-count = nommez de { $min } à { $max } détenteurs de parts de récupération (il y en a { $count })
daemon-problem-too-many-holders = trop nombreux
daemon-problem-threshold-range = il doit être entre { $min } et le nombre de détenteurs ({ $holders }), et non { $threshold } : une part seule ne doit jamais suffire à récupérer le coffre
daemon-problem-holder-named-twice = { $holder } est nommé deux fois
daemon-problem-holder-key = { $holder } : { $detail }
daemon-problem-holder-same-age-key = { $holder } a la même clé age que { $other } : chaque détenteur a besoin de la sienne, sinon une seule personne pourrait récupérer le coffre avec plusieurs parts
daemon-problem-holder-same-passphrase = { $holder } a la même phrase de passe que { $other } : chaque détenteur a besoin de la sienne, sinon une seule personne pourrait récupérer le coffre avec plusieurs parts
daemon-problem-share-unreadable = { $detail }
daemon-problem-share-other-vault = elle appartient à un autre coffre ({ $share_vault }), pas à celui-ci ({ $vault }) : utilisez une part de ce coffre
daemon-problem-share-before-rekey = ce coffre a été restauré à partir d’une sauvegarde du { $backup_created }, antérieure au rekey qui a émis cette part : il lui faut le jeu de parts du { $backup_created } (identifiant { $share_set }), les fichiers de parts en vigueur au moment de la sauvegarde (ou la phrase de passe qu’avait alors la présidence ou le chef)
daemon-problem-share-replaced = elle appartient à un jeu de parts qu’un rekey a remplacé (ou à un jeu émis après la sauvegarde d’où vient ce coffre) : elle ne peut pas servir ici ; ce coffre s’ouvre avec le jeu de parts { $share_set } (voir `coffre recovery status`)
daemon-problem-share-numbers = elle dit { $share_threshold } sur { $share_count }, mais l’emplacement de récupération de l’en-tête de scellement dit { $threshold } sur { $count } : soit cette part est falsifiée, soit l’en-tête de scellement a été modifié (un descellement par phrase de passe de la présidence ou du chef vérifie l’en-tête)
daemon-problem-share-submitted-already = la part numéro { $number } ({ $holder }) a déjà été remise ; { $submitted } sur { $threshold } sont reçues : la suivante doit venir d’un autre détenteur
daemon-problem-shares-do-not-combine = { $detail }
daemon-problem-not-an-owner = { $name } n’assure ni la présidence ni le rôle de chef
daemon-problem-policy-length = { policy-length }
daemon-problem-policy-no-class = { policy-no-class }
daemon-problem-policy-more-classes-than-characters = { policy-more-classes-than-characters }
daemon-problem-policy-words = { policy-words }
daemon-problem-policy-separator-length = { policy-separator-length }
daemon-problem-policy-separator-characters = { policy-separator-characters }
daemon-problem-policy-alphabet = { policy-alphabet }
daemon-problem-store-marker-malformed = son marqueur des modifications appliquées est mal formé
daemon-problem-store-no-record-of-changes = elle ne garde aucune trace des modifications qu’elle a appliquées, mais le journal contient des modifications à partir de l’événement { $seq } (la base a été remplacée ou a perdu ses dernières écritures)
daemon-problem-store-records-do-not-match = ses enregistrements ne correspondent pas à sa propre trace de la modification { $seq } (enregistrements perdus, modifiés ou ajoutés sur le disque : empreinte { $found } au lieu de { $expected })
daemon-problem-store-read-to-malformed = sa trace de l’endroit où elle a lu le journal d’audit est mal formée ou n’est pas celle de ce coffre (modifiée sur le disque)
daemon-problem-store-read-ahead = elle est en avance sur le journal d’audit : elle a lu le journal jusqu’à l’événement { $through }, mais le journal se termine à l’événement { $head } ; le journal a perdu sa fin, ou la base appartient à un autre journal
daemon-problem-store-not-described = ce n’est pas la base que le journal décrit à la modification { $seq } (une base d’une autre époque ou d’un autre coffre)
daemon-problem-store-ahead-of-log = elle est en avance sur le journal d’audit : elle contient la modification { $seq }, que le journal n’a pas (modification suivante dans le journal : { $next }) ; le journal a perdu sa fin, ou la base appartient à un autre journal
daemon-problem-store-replay-mismatch = rejouer la modification { $seq } du journal n’aboutit pas à l’empreinte que le journal a notée (la base diffère du journal avant elle)
daemon-problem-store-directory-missing = le dossier de la base est absent, mais { $copy } indique qu’un coffre se trouve ici
daemon-problem-store-no-header = elle n’a pas d’en-tête de scellement, mais le journal d’audit contient { $events } événements et { $copy } existe : la base a été perdue ou endommagée
daemon-problem-store-records-without-header = elle contient des enregistrements mais aucun en-tête de scellement (endommagée, ou laissée par un autre coffre)
daemon-problem-audit-witness-too-long = il fait { $length } octets, au lieu d’au plus { $max }
daemon-problem-audit-witness-unreadable = aucun de ses deux emplacements ne se relit (somme de contrôle)
daemon-problem-audit-witness-foreign = le témoin de tête n’est pas signé par la clé d’audit de ce coffre
daemon-problem-audit-ends-before-witness = le journal s’arrête à l’événement { $last_seq }, mais l’événement { $witnessed } a été confirmé (témoin de tête { $witness })
daemon-problem-audit-witness-other-event = l’événement { $witnessed } n’est pas celui qui a été confirmé (témoin de tête { $witness })
daemon-problem-audit-impossible-length = une trame annonce une longueur impossible
daemon-problem-audit-bad-frame = une trame échoue à sa somme de contrôle ou dépasse la fin, et des événements confirmés la suivent
daemon-problem-audit-first-segment-missing = le premier segment du journal manque (le premier présent commence à l’événement { $first })
daemon-problem-audit-segment-without-head = ce segment terminé ne finit pas par une trame de tête entière (tronqué ou endommagé)
daemon-problem-audit-segments-gap = il s’arrête à l’événement { $last }, mais le segment suivant commence à l’événement { $next }
daemon-problem-audit-copy-malformed = la copie du journal dans la base de données contient, à partir de l’événement { $seq }, une validation groupée qui n’est pas faite de trames entières numérotées à la suite de la précédente et terminée par une tête signée : rien n’en a été écrit dans le journal
daemon-problem-audit-event-missing-from = l’événement manque dans { $segment } (le suivant sur le disque est le { $next })
daemon-problem-audit-segment-damaged-after = le segment { $segment } est endommagé après l’événement { $after }
daemon-problem-audit-log-ends-before-event = l’événement manque : le journal s’arrête avant lui
daemon-problem-audit-event-missing = l’événement manque (le suivant sur le disque est le { $next })
daemon-problem-audit-previous-missing = l’événement qui le précède manque
daemon-problem-audit-hash-mismatch = l’événement ne suit pas celui qui le précède (empreinte différente)
daemon-problem-audit-event-foreign = l’événement ne s’ouvre pas avec la clé d’audit de ce coffre (modifié ou étranger)
daemon-problem-audit-event-malformed = l’événement est mal formé
daemon-problem-audit-event-other-seq = l’événement porte un autre numéro de séquence que sa trame
daemon-problem-audit-head-invalid = la tête signée à cet endroit n’est pas valide avec la clé d’audit de ce coffre
daemon-problem-audit-head-mismatch = la tête signée ne correspond pas à l’événement qu’elle suit
daemon-problem-audit-ends-before-head = le journal s’arrête avant sa tête signée
daemon-problem-audit-change-too-short = une trame de modification est trop courte
daemon-problem-audit-change-chunk-missing = un morceau de la modification manque ou est dans le désordre
daemon-problem-audit-change-foreign = la modification ne s’ouvre pas avec la clé d’audit de ce coffre (modifiée ou étrangère)
daemon-problem-audit-change-malformed = la modification est mal formée
daemon-problem-audit-ends-in-change = le journal s’arrête au milieu d’une modification
daemon-problem-audit-change-out-of-order = la modification ne suit pas celle qui la précède (elle suit la modification { $follows }, la dernière lue est la { $last })
policy-refused = règle du générateur : { $problem }

## La règle du générateur de mots de passe (PolicyError de coffre-crypto), pour `coffre generate` et le démon

policy-length = un mot de passe généré a de { $min } à { $max } caractères, et non { $length }
policy-no-class = choisissez au moins une sorte de caractères (minuscules, majuscules, chiffres, symboles)
policy-more-classes-than-characters = plus de sortes de caractères que de caractères
policy-words = une phrase de passe générée a de { $min } à { $max } mots, et non { $count }
policy-separator-length = le séparateur a de 1 à { $max } caractères
policy-separator-characters = le séparateur ne peut contenir ni lettre ni caractère de contrôle
policy-alphabet = taille d’alphabet hors limites

## Les refus de coffred lui-même, avant le moteur (crates/server/src/refusals.rs) : `daemon-<code>`

daemon-request-required = champ obligatoire absent de la requête : { $what }
daemon-request-unknown-value = valeur inconnue pour { $what } : { $value }
daemon-request-before-1970 = { $what } ne peut pas être antérieur à 1970
daemon-request-expiry-before-1970 = échéance invalide : antérieure à 1970
daemon-request-passphrase-length = la phrase de passe doit avoir de { $min } à { $max } octets
daemon-request-given-without-replace = { $field } est donné sans replace_{ $field }
daemon-request-no-older-version = un mot de passe préparé n’a pas de version antérieure : demandez pending ou une version
daemon-request-threshold-too-large = seuil invalide : { $threshold } est beaucoup trop grand
daemon-request-holder-without-key = détenteur invalide : { $holder } n’a ni clé age ni phrase de passe
daemon-request-new-password-required = new_password est obligatoire : un mot de passe, ou generate
daemon-request-undecodable = requête invalide : { $detail }
daemon-request-too-large = requête trop grande : { $detail }
daemon-authorization-too-long = métadonnée d’autorisation trop longue : elle porte un jeton de session de 43 caractères ; reconnectez-vous
daemon-authorization-malformed = métadonnée d’autorisation mal formée : `Bearer <jeton>` attendu

## Comment le client explique les réponses du démon

daemon-refused = le démon a refusé la demande ({ $code })
hint-login-again = {"\u00A0"}: lancez `coffre login { $name }`
hint-versions-differ = {"\u00A0"}: le démon ne connaît pas cette demande ; coffre et coffred sont-ils de la même version ?

## Lignes de démarrage et de restauration de coffred

coffred-test-clock = coffred : ATTENTION : l’heure vient du fichier d’horloge de test { $path } ({ $var }) ; ne l’utilisez jamais hors des tests
coffred-data-dir = coffred : dossier de données { $path }
coffred-ca = coffred : certificat de l’autorité de certification { $path }, empreinte SHA-256 { $fingerprint }
coffred-listening = coffred : à l’écoute sur { $url }
coffred-failed = coffred : { $message }
coffred-failed-because = { $what } : { $why }
coffred-standing-by = coffred : en veille : { $place } est tenu par un autre coffred. Celui-ci n’écoute pas tant que l’autre ne s’est pas arrêté ; il reprend alors le coffre, scellé, comme après tout démarrage
coffred-standby-waiting = coffred : en veille : la base de données du coffre ne répond pas ({ $detail }). Nouvel essai chaque seconde, jusqu’à ce qu’elle réponde
coffred-arm-not-standby = --arm est pour un coffred en veille (--standby, COFFRE_STANDBY ou [storage] standby = true, sur PostgreSQL) : un coffred qui sert tout de suite est descellé par la présidence ou le chef après son démarrage (`coffre unseal`, ou la page web)
coffred-arm-refused = rien n’est armé : { $why }. Redémarrez le coffred en veille avec la phrase de passe de la présidence ou du chef
coffred-armed = coffred : armé : la phrase de passe ouvre le coffre. Quand ce coffred reprendra le coffre, il le descellera avec elle, sauf si la présidence ou le chef l’a scellé exprès
coffred-armed-unsealed = coffred : coffre repris et descellé avec la phrase de passe donnée au démarrage
coffred-armed-left-sealed = coffred : coffre repris ; il reste scellé, car la présidence ou le chef l’a scellé exprès. La présidence ou le chef le descelle quand il doit servir de nouveau (`coffre unseal`, ou la page web)
coffred-armed-unseal-failed = coffred : coffre repris, mais la phrase de passe donnée au démarrage ne l’a pas descellé : { $why }. La présidence ou le chef le descelle (`coffre unseal`, ou la page web)
coffred-standby-copy-lost = coffred : la base de données du coffre a perdu des transactions qu’elle avait validées : sa copie du journal d’audit s’arrête à l’événement { $ends }, mais pendant sa veille ce coffred l’a vue atteindre l’événement { $saw } (une réplique de la base en retard a-t-elle été promue ?). Ce coffred ne reprend pas le coffre, pour qu’aucune modification ni consultation confirmée ne soit perdue à l’insu de tous. Si le coffred qui servait avant peut démarrer sur son propre dossier de données, démarrez-le : son journal d’audit redonne à la base ce qu’elle a perdu. Sinon, promouvez le serveur de base de données qui a toutes les transactions. Si ces événements sont perdus pour de bon et que le coffre doit servir sans eux, supprimez { $file } et redémarrez ce coffred

coffred-kdf-settings = les réglages [kdf] sont refusés
coffred-cannot-open = impossible d’ouvrir le coffre dans { $path }
coffred-cannot-set-up-tls = impossible de préparer TLS
coffred-cannot-listen = impossible d’écouter sur { $address }
coffred-cannot-listen-relay = impossible d’écouter les connexions relayées sur { $address } ([relay] listen)
coffred-taken-over-stopped = un autre coffred a repris le magasin du coffre ({ $place }) pendant que celui-ci le servait ; celui-ci s’est arrêté. Le journal de son dossier de données peut finir par une validation groupée que la base de données n’a jamais reçue (jamais confirmée) : pour faire de cette machine un coffred en veille, mettez son dossier audit/ de côté (gardez tls/) et démarrez coffred avec [storage] standby = true (docs/ha.md, « A standby coffred »)
# Les refus de la configuration de coffred (config.rs, ConfigError) : ce qui ne va pas, et quoi écrire à la place.
config-read = impossible de lire { $path } : { $why }
config-parse = fichier de configuration { $path } : { $message }
config-tls-certificate-without-key = un certificat TLS va avec sa clé : le certificat est donné, mais pas la clé
config-tls-key-without-certificate = un certificat TLS va avec sa clé : la clé est donnée, mais pas le certificat
config-zero = { $key } doit être plus grand que zéro
config-backup-without-dir = [backup] { $key } est donné, mais pas [backup] dir : dites où vont les sauvegardes
config-out-of-range = { $key } = { $value } est hors des limites : la valeur doit être entre { $min } et { $max }
config-postgres-settings-on-sled = [storage] schema, password_file, ca_file et retry_seconds servent à PostgreSQL : mettez backend = "postgres" et url, ou retirez-les
config-standby-on-sled = un coffred en veille (--standby, COFFRE_STANDBY ou [storage] standby) reprend un schéma PostgreSQL quand le coffred qui le tient s’arrête ; le magasin de sled est dans ce dossier de données et aucun autre coffred ne le tient : mettez backend = "postgres" et url, ou retirez standby
config-address-on-sled = une adresse de base de données est donnée (--storage-url, COFFRE_STORAGE_URL ou [storage] url), mais [storage] backend vaut "sled" : retirez l’un des deux
config-postgres-without-address = [storage] backend = "postgres" demande l’adresse de la base de données : [storage] url, --storage-url ou COFFRE_STORAGE_URL (postgresql://UTILISATEUR@HÔTE:PORT/BASE)
config-database = les réglages de la base de données sont refusés : { $detail }
config-empty-password-file = { $path } est vide : sa première ligne doit être le mot de passe du rôle de la base de données
config-relay-without-listen = [relay] advertise et from vont avec [relay] listen, le port où ce coffred reçoit les connexions que ses coffreds en veille relaient : mettez listen, ou retirez-les
config-relay-on-sled = [relay] sert aux coffreds qui partagent un schéma PostgreSQL (celui qui sert et ceux en veille) ; le magasin de sled est dans ce dossier de données, sans autre coffred : mettez [storage] backend = "postgres" et url, ou retirez [relay]
config-relay-from-nobody = [relay] from est vide : donnez les adresses des coffreds en veille (from = ["10.0.0.2"]) ; une connexion relayée nomme son client, alors elle n’est acceptée que d’eux
config-relay-without-port = [relay] listen ({ $listen }) n’a pas de port : donnez-lui un port fixe, que les coffreds en veille apprennent par la base de données
config-relay-on-clients-address = [relay] listen ({ $listen }) est aussi l’adresse des clients : donnez aux connexions relayées un port à elles
config-relay-everywhere = [relay] listen ({ $listen }) couvre toutes les adresses de cette machine : indiquez dans [relay] advertise celle par laquelle ses coffreds en veille la joignent (advertise = "10.0.0.1:{ $port }")
config-relay-advertise = [relay] advertise = { $advertise } n’est pas de la forme HÔTE:PORT : écrivez-le comme "10.0.0.1:7444" ou "coffre-a.example.org:7444"
salvage-done = coffred : coffre { $vault } récupéré dans { $path } : tout, jusqu’à l’événement d’audit { $event } inclus, y est ({ $records } enregistrements) ; { $bytes } octets à partir du dommage sont gardés à part, non lus, dans { $path }/audit/*.salvaged-rest. Ce qui s’est passé après l’événement { $event } n’est pas dans le nouveau coffre : comparez avec votre dernière sauvegarde et votre dernier export
migrate-no-target = coffred migrate déplace les enregistrements du coffre dans PostgreSQL : nommez d’abord la base de données ([storage] backend = "postgres" et url dans le fichier de configuration, ou --storage-url)
migrate-failed = le coffre de { $path } n’a pas pu être déplacé dans PostgreSQL ; sa base sled n’a pas été modifiée
migrate-done = coffred : coffre { $vault } déplacé dans { $place } : { $records } enregistrements copiés, relus et vérifiés contre le journal d’audit ({ $events } événements)
migrate-next = coffred : ensuite, démarrez coffred avec la même configuration et descellez-le. L’ancienne base sled est gardée sous { $moved } : supprimez-le une fois une sauvegarde faite (`coffre backup create`)
restore-moved = coffred : ses enregistrements sont dans { $place } ({ $records } enregistrements, relus et comparés) ; le premier descellement les vérifie contre le journal d’audit
restore-not-moved = la sauvegarde a été restaurée sur sled dans { $path }, mais ses enregistrements n’ont pas pu être déplacés dans PostgreSQL : une fois la base de données joignable, lancez `coffred migrate` (il faut la phrase de passe de la présidence ou du chef), ou videz le schéma et restaurez de nouveau dans un nouveau dossier
rebuild-prompt = Phrase de passe de la présidence ou du chef :
rebuild-failed = la base n’a pas pu être reconstruite dans { $path } ; le dossier de données d’origine n’a pas été modifié
rebuild-done = coffred : coffre { $vault } reconstruit dans { $path } à partir de son seul journal d’audit : { $changes } modifications rejouées et vérifiées, { $records } enregistrements, { $events } événements d’audit vérifiés
rebuild-next = coffred : ensuite, arrêtez coffred sur { $old } et gardez ce dossier tel quel ; démarrez coffred sur { $path } et descellez-le. Une fois que tout y est, faites une sauvegarde (`coffre backup create`)
restore-done = coffred : coffre { $vault } restauré dans { $path }
restore-taken = coffred : la sauvegarde a été faite le { $time } UTC ; { $records } enregistrements et { $events } événements d’audit sont revenus
restore-shares-of-set = les parts des détenteurs du jeu { $set }, le jeu en vigueur au moment de la sauvegarde (les parts d’un rekey plus récent ne l’ouvrent pas)
restore-shares = les parts des détenteurs
restore-next = coffred : ensuite, démarrez coffred sur { $path } et descellez avec la phrase de passe de la présidence ou du chef (`coffre unseal`) ou avec { $shares } (`coffre recover --share FICHIER`)
restore-cannot-read-backup = impossible de lire la sauvegarde { $path } ({ $reason }) : vérifiez son nom et que l’utilisateur de coffred peut la lire ; rien n’a été changé
restore-cannot-read-identity = impossible de lire le fichier d’identité { $path } ({ $reason }) : vérifiez son nom et que l’utilisateur de coffred peut le lire ; rien n’a été changé
restore-bad-identity = { $path } : { $problem } ; rien n’a été changé
restore-refused-decrypt = impossible de déchiffrer la sauvegarde : { $problem } ; rien n’a été changé
restore-refused-damaged = la sauvegarde est endommagée : { $problem } ; rien n’a été changé : restaurez une sauvegarde plus ancienne
restore-refused-other-vault = { $dir } contient le coffre { $existing }, alors que cette sauvegarde est celle du coffre { $backup } : restaurez dans un nouveau répertoire vide ; rien n’a été changé
restore-refused-not-empty = { $dir } n’est pas vide : restaurez dans un nouveau répertoire vide (rien n’a été changé)
restore-refused-io = impossible de restaurer dans { $dir } : { $step } : { $reason } ; rien n’a été changé : vérifiez l’espace libre sur le disque et les droits de coffred sur ce répertoire, puis restaurez de nouveau
restore-refused-check = le coffre restauré ne s’ouvre pas ({ $problem }) ; rien n’a été changé : restaurez une sauvegarde plus ancienne
restore-damage-not-a-backup = ce n’est pas une sauvegarde de coffre (mauvais octets magiques)
restore-damage-unknown-format = elle est au format { $format }, que ce coffred ne connaît pas : restaurez-la avec le coffred qui l’a faite, ou un plus récent
restore-damage-digest = elle est tronquée ou modifiée (son empreinte ne correspond pas)
restore-damage-malformed = son contenu est mal formé
restore-damage-no-header = elle ne contient aucun en-tête de scellement
restore-damage-bad-header = son en-tête de scellement est mal formé
restore-damage-header-of-other-vault = son en-tête de scellement appartient à un autre coffre que celui de la sauvegarde
restore-damage-segments-out-of-order = ses segments du journal d’audit sont dans le désordre
restore-damage-reads-back-other-vault = le coffre restauré se relit avec un autre identifiant
restore-damage-log-short = son journal d’audit s’arrête à l’événement { $events }, avant l’événement { $expected }, celui de la sauvegarde elle-même : il a été coupé
restore-step-read-target = lire le répertoire cible
restore-step-remove-empty-target = retirer le répertoire cible vide
restore-step-move-into-place = mettre en place le coffre restauré
restore-step-sync-directory = synchroniser un répertoire
restore-step-create-directory = créer un répertoire privé
restore-step-create-segment = créer un segment du journal d’audit
restore-step-write-segment = écrire un segment du journal d’audit
restore-step-write-marker = écrire le marqueur de restauration
age-problem-bad-recipient = { $value } n’est pas une clé publique age : elle commence par age1 et compte 62 caractères (voir `age-keygen -y`)
age-problem-no-identity = le fichier d’identité ne contient aucune clé secrète age (une ligne qui commence par AGE-SECRET-KEY-1)
age-problem-bad-identity = la ligne { $line } du fichier d’identité n’est pas une clé secrète age
age-problem-not-age-file = ce n’est pas un fichier chiffré avec age, ou son début est endommagé
age-problem-no-matching-key = ce fichier n’est pas chiffré pour cette identité : utilisez le fichier de clé de la personne à qui il était destiné
age-problem-wrong-passphrase = mauvaise phrase de passe pour ce fichier
age-problem-needs-passphrase = ce fichier est chiffré avec une phrase de passe : donnez la phrase de passe plutôt qu’un fichier de clé
age-problem-needs-identity = ce fichier est chiffré pour une clé : donnez le fichier de clé (--identity) plutôt qu’une phrase de passe
age-problem-damaged = le fichier est endommagé ou tronqué
age-problem-too-large = le contenu déchiffré dépasse { $max } octets : ce n’est pas le fichier attendu
age-problem-excessive-work = le fichier demande trop de travail de dérivation de phrase de passe pour qu’on s’y fie
age-problem-encrypt = le chiffrement age a échoué : { $detail }

## Secrets tapés, lus dans un fichier ou sur l’entrée standard

secret-noun = { $noun ->
    [password] mot de passe
    [keepass-password] mot de passe KeePass
   *[passphrase] phrase de passe
}
file-cannot-read = impossible de lire { $path } ({ $reason })
secret-file-too-large = { $path } dépasse { $kib } Kio : est-ce le bon fichier ?
stdin-cannot-read = impossible de lire l’entrée standard : { $reason }
stdin-too-large = l’entrée standard contient plus de { $kib } Kio : donnez seulement le secret
secret-again-prompt = Tapez-le de nouveau :{" "}
secret-typed-differ = { $noun ->
    [passphrase] les deux phrases de passe que vous avez tapées diffèrent : rien n’a été envoyé ; relancez la commande
   *[other] les deux { secret-noun }s que vous avez tapés diffèrent : rien n’a été envoyé ; relancez la commande
}
secret-cannot-read-terminal = impossible de lire { $noun ->
    [passphrase] la phrase de passe
   *[other] le { secret-noun }
} au terminal : { $reason }
secret-no-terminal = { $stdin ->
    [none] pas de terminal où taper { $noun ->
        [passphrase] la phrase de passe
       *[other] le { secret-noun }
    } : utilisez { $file }
   *[other] pas de terminal où taper { $noun ->
        [passphrase] la phrase de passe
       *[other] le { secret-noun }
    } : utilisez { $file } ou { $stdin }
}
secret-empty = { $noun ->
    [passphrase] la phrase de passe est vide : rien n’a été envoyé
   *[other] le { secret-noun } est vide : rien n’a été envoyé
}
secret-too-short = { $noun ->
    [passphrase] la phrase de passe est trop courte : utilisez au moins { $min } caractères (quelques mots sans lien entre eux se retiennent bien)
   *[other] le { secret-noun } est trop court : utilisez au moins { $min } caractères
}
secret-too-long = { $noun ->
    [passphrase] la phrase de passe est trop longue : au plus { $max } octets
   *[other] le { secret-noun } est trop long : au plus { $max } octets
}
keepass-password-prompt = Mot de passe de { $file } :{" "}

## Joindre le démon

server-address-invalid = adresse de serveur invalide : { $server }
tls-cannot-set-up = impossible de configurer TLS avec le certificat de l’autorité de certification
tls-not-that-ca = le certificat de { $server } ne découle pas de cette autorité de certification : est-ce vraiment coffred ? Rien n’a été enregistré
tls-wrong-name = le certificat du démon n’est pas valide pour { $host } : utilisez l’adresse pour laquelle il a été configuré (p. ex. localhost)
tls-not-pinned-ca = le certificat du démon ne correspond pas à l’autorité de certification épinglée : si le démon a été réinstallé, relancez `coffre connect`
tls-not-tls = { $server } n’a pas répondu en TLS : vérifiez l’adresse et le port (--server / COFFRE_SERVER)
tls-handshake-failed = la négociation TLS avec { $server } a échoué : vérifiez l’adresse (--server / COFFRE_SERVER)
daemon-timed-out = le démon à { $server } n’a pas répondu en { $seconds } s : coffred est-il lancé ? (vérifiez --server / COFFRE_SERVER)
host-not-found = impossible de trouver l’hôte { $host } : vérifiez l’adresse (--server / COFFRE_SERVER)
daemon-unreachable = impossible de joindre le démon à { $server } : coffred est-il lancé ? (vérifiez --server / COFFRE_SERVER)
session-damaged = la session enregistrée est abîmée : relancez `coffre login NOM`

## Fichier de session, fichiers et sortie standard

session-file-cannot-read = impossible de lire le fichier de session { $path } ({ $reason })
session-file-damaged = le fichier de session { $path } est abîmé : supprimez-le et relancez `coffre login NOM`
session-file-cannot-save = impossible d’enregistrer la session dans { $path } ({ $reason })
session-file-cannot-delete = impossible de supprimer le fichier de session { $path } ({ $reason })
session-file-shared = le fichier de session { $path } est lisible par d’autres utilisateurs (mode { $mode }) : supprimez-le et relancez `coffre login NOM`
io-not-found = fichier introuvable
io-permission-denied = permission refusée
io-is-a-directory = c’est un dossier
stdout-cannot-write = impossible d’écrire sur la sortie standard : { $reason }

## Approbations

approval-reason-empty = --reason est vide : dites pourquoi vous avez besoin du secret ; la présidence et le chef le liront
approval-requested = Demande d’affichage de { $platform } envoyée (demande { $id }). La présidence ou le chef la voit avec `coffre approval list` et l’approuve avec `coffre approval approve { $short }` ; affichez ensuite le secret une fois avec `coffre reveal { $platform } --reason TEXTE`. La demande attend jusqu’au { $until }.
approval-none = Aucune demande d’approbation.
approval-state = { $state ->
    [pending] en attente
    [approved] approuvée
    [denied] refusée
    [used] utilisée
    [expired] expirée
   *[other] { $state }
}
approval-approved = Approuvée : { $requester } peut afficher { $platform } une fois, jusqu’au { $until }.
approval-denied = Refusée : { $requester } ne peut pas afficher { $platform }.

## Sauvegardes

file-exists-already = { $path } existe déjà : choisissez un nouveau nom de fichier (rien n’a été fait)
file-cannot-write = impossible d’écrire { $path } ({ $reason })
file-cannot-create = impossible de créer { $path } ({ $reason })
backup-partial-exists = { $path } existe déjà : une sauvegarde interrompue l’a laissé, ou quelqu’un l’a mis là. Ce n’est jamais une sauvegarde complète : vérifiez-le, supprimez-le, puis relancez la commande (rien n’a été fait)
backup-incomplete = la sauvegarde est arrivée incomplète : rien n’a été enregistré ; réessayez
backup-written =
    Sauvegarde du coffre { $vault } écrite dans { $file } ({ $size } octets, faite le { $time }) : { $records } enregistrements, { $events } événements d’audit.
    Elle s’ouvre avec la clé age de n’importe lequel de ses { $recipients ->
    [one] { $recipients } destinataire
   *[other] { $recipients } destinataires
} (les détenteurs de parts qui ont une clé). Gardez-la sur une autre machine ou un autre support ; restaurez-la avec `coffred restore --from FICHIER --identity FICHIER_CLÉ --data-dir NOUVEAU_DOSSIER`.
    Une fois restaurée, elle se descelle avec une phrase de passe actuelle de la présidence ou du chef, ou avec les parts du jeu { $set } (émis le { $issued }) ; un rekey plus récent n’y change rien : gardez ces fichiers de parts aussi longtemps que cette sauvegarde.

## Le journal d’audit : ses codes, tels que les gens les lisent

audit-action = { $key ->
    [init] création du coffre
    [unseal] descellement
    [seal] scellement
    [login] connexion
    [logout] déconnexion
    [enroll] inscription
    [passwd] changement de phrase de passe
    [whoami] qui suis-je
    [entry-create] entrée créée
    [entry-update] entrée modifiée
    [entry-read] entrée lue
    [entry-history] historique d’entrée
    [entry-flag] entrée signalée
    [reveal] affichage
    [rekey] jeu de parts émis
    [backup] sauvegarde
    [person-add] personne ajoutée
    [person-list] liste des personnes
    [person-offboard] départ d’une personne
    [enrolment-reset] inscription réinitialisée
    [grant-add] accès accordé
    [grant-list] liste des accès
    [grant-revoke] accès révoqué
    [audit-list] lecture du journal
    [audit-export] exportation du journal
    [rotation-stage] rotation préparée
    [rotation-confirm] rotation confirmée
    [rotation-cancel] rotation annulée
    [rotation-due] rotations à faire
    [approval-request] approbation demandée
    [approval-list] liste des approbations
    [approval-decide] approbation tranchée
    [registry-export] registre exporté
    [recovery-share] part de récupération
    [recovery-complete] récupération terminée
    [recovery-expire] récupération expirée
    [recovery-passphrase] phrase de passe définie par récupération
    [entry-archive] entrée archivée
    [approval-approve] approbation donnée
    [approval-deny] approbation refusée
    [approval-use] approbation utilisée
    [grant-expire] accès expiré
    [session-end] fin de session
    [shares-issue] parts de récupération émises
    [recovery-read] lecture de la récupération
    [restore] restauration
    [names-normalise] noms uniformisés
    [store-baseline] point de départ du magasin
   *[other] { $action }
}
audit-outcome = { $outcome ->
    [success] réussite
    [denied] refus
    [failure] échec
   *[other] { $outcome }
}
audit-not-a-date = { $flag } { $text } n’est ni une date (2026-11-24) ni une heure (2026-11-24T09:30:00Z)
audit-more-events = D’autres événements suivent : ajoutez --after { $next }
audit-none = Aucun événement d’audit ne correspond.
file-exists-force = { $path } existe déjà : choisissez un autre fichier ou ajoutez --force pour le remplacer
audit-no-public-key = le démon n’a pas donné sa clé publique d’audit : est-il plus ancien que ce client ?
audit-cannot-move = impossible de déplacer l’exportation vers { $path } ({ $reason })
audit-exported =
    { $events ->
    [one] { $events } événement d’audit exporté
   *[other] { $events } événements d’audit exportés
} dans { $file } (le fichier nomme des personnes et des plateformes : gardez-le privé).
    N’importe qui peut le vérifier hors ligne :
      coffre audit verify { $file } --key { $key }
audit-does-not-verify = { $path } ne se vérifie pas : { $reason }
audit-does-not-verify-at = { $path } ne se vérifie pas (premier événement fautif : { $seq }) : { $reason }
audit-key-invalid = --key : { $reason } ; copiez la clé que `coffre status` affiche (ed25519: et 64 chiffres hexadécimaux)
audit-valid =
    Valide : { $events } événements du coffre { $vault }, du { $first } au { $last }.
    Signature de la tête valide sous { $key } : rien n’a été modifié, supprimé, inséré, réordonné ni coupé.
    Tête : événement { $seq }, empreinte { $hash }

## Récupération

recover-no-new-passphrase = { $message } ; le coffre est descellé, mais aucune nouvelle phrase de passe n’a été définie : recommencez la récupération avec les parts pour en définir une
recover-complete =
    Part { $number } de { $holder } acceptée : { $submitted ->
    [one] { $submitted } part sur { $threshold }
   *[other] { $submitted } parts sur { $threshold }
}, la récupération est terminée.
    Le coffre { $opened ->
        [now] est descellé
       *[already] était déjà descellé
    }, et la nouvelle phrase de passe de { $owner } est définie (l’ancienne ne fonctionne plus).
    Ensuite : `coffre login { $owner }` ; puis émettez un nouveau jeu de parts avec `coffre recovery rekey`, puisque ces parts ont servi.
recover-accepted =
    Part { $number } de { $holder } acceptée : { $submitted ->
    [one] { $submitted } part sur { $threshold } est remise
   *[other] { $submitted } parts sur { $threshold } sont remises
}.
    La récupération attend encore { $missing ->
    [one] { $missing } part
   *[other] { $missing } parts
} jusqu’au { $until } : le détenteur suivant lance `coffre recover --share FICHIER`.
share-file-too-large = { $path } est trop gros pour être un fichier de part
share-passphrase-prompt = Phrase de passe de votre part :{" "}
share-needs-identity = cette part est verrouillée par une clé age : donnez votre fichier de clé avec --identity FICHIER_CLÉ
identity-not-text = { $path } n’est pas un fichier d’identité age (ce n’est pas du texte)
recover-new-passphrase-prompt = Nouvelle phrase de passe pour { $owner } (au moins 12 caractères) :{" "}
recover-new-passphrase-prompt-president = Nouvelle phrase de passe pour la présidence (au moins 12 caractères) :{" "}
recovery-no-share-set = Aucun jeu de parts de récupération : la présidence ou le chef en émet un avec `coffre recovery rekey --holder ...`.
recovery-share-set = Jeu de parts { $set } : { $threshold } des { $shares } détenteurs, ensemble, peuvent récupérer le coffre.
recovery-in-progress = Une récupération est en cours : { $submitted ->
    [one] { $submitted } part sur { $threshold } est remise
   *[other] { $submitted } parts sur { $threshold } sont remises
}, jusqu’au { $until }.
recovery-none-in-progress = Aucune récupération en cours.
rekey-no-shares = le démon n’a émis aucun fichier de part
rekey-done = L’ancien jeu de parts n’ouvre plus ce coffre. Les sauvegardes faites avant maintenant ne s’ouvrent toujours qu’avec lui (ou avec une phrase de passe de la présidence ou du chef de leur époque) : gardez les anciens fichiers de parts aussi longtemps que ces sauvegardes, ou faites une nouvelle sauvegarde maintenant (`coffre backup create`) ; chaque sauvegarde indique le jeu de parts dont elle a besoin.
keygen-done =
    { $key }
    C’est votre clé publique : remettez-la à la personne qui émet les parts (--holder NOM={ $key }).
    Votre clé secrète est dans { $file } : gardez-la hors ligne et privée ; il vous la faut pour récupérer le coffre et ouvrir les sauvegardes.

## Détenteurs de parts et fichiers de parts

shares-no-holders = nommez les détenteurs de parts : --holder ÉTIQUETTE=age1... (ou --passphrase-holder ÉTIQUETTE), au moins deux
shares-dir-missing = --shares-dir DOSSIER est obligatoire : les fichiers de parts y sont écrits, un par détenteur
shares-holder-syntax = --holder { $value } : écrivez-le ÉTIQUETTE=age1..., p. ex. president=age1qyz...
shares-holder-same-key = --holder { $label } : la même clé age que { $other } : chaque détenteur a besoin de sa propre clé, sinon une seule personne pourrait récupérer le coffre avec plusieurs parts
shares-holder-passphrase-prompt = Phrase de passe que { $label } choisit pour sa part (au moins 12 caractères) :{" "}
shares-dir-cannot-write = impossible d’écrire les fichiers de parts dans { $path } ({ $reason }) : rien n’a été envoyé
shares-file-cannot-write = le jeu de parts a été émis, mais { $path } n’a pas pu être écrit ({ $reason }) : réglez le problème, puis émettez un nouveau jeu avec `coffre recovery rekey`

## Adresses, autorité de certification et configuration enregistrée

address-not-tls = coffre ne parle que TLS : utilisez https:// au lieu de { $scheme }:// dans { $input }
address-unsupported = adresse non prise en charge { $input } : utilisez https://HÔTE:PORT (pas { $scheme }://)
address-invalid = adresse de serveur invalide { $input } : utilisez https://HÔTE:PORT
no-server = aucun serveur configuré : lancez `coffre connect ADRESSE` ou définissez COFFRE_SERVER et COFFRE_CA
no-ca = aucun certificat d’autorité de certification pour vérifier { $server } : donnez --ca FICHIER (ou définissez COFFRE_CA), ou lancez `coffre connect { $server }` pour l’épingler
ca-check-flag = vérifiez --ca / COFFRE_CA
ca-connect-again = relancez `coffre connect ADRESSE`
ca-cannot-read = impossible de lire le certificat de l’autorité de certification { $path } ({ $reason }) : { $next }
ca-no-pem = { $path } ne contient aucun certificat PEM (-----BEGIN CERTIFICATE-----) : donnez le ca.pem de coffred ({ $next })
config-invalid = { $path } n’est pas une configuration coffre valide ({ $reason }) : relancez `coffre connect ADRESSE`
config-cannot-encode = impossible d’encoder la configuration : { $reason }
config-server-invalid = { $message } ; relancez `coffre connect ADRESSE`

## Registre, générateur

registry-written = Registre de { $entries ->
    [one] { $entries } compte
   *[other] { $entries } comptes
} écrit dans { $file }.
registry-holds-contacts = Il contient des contacts de récupération (numéros de téléphone et adresses de personnes) : ne le communiquez qu’à ceux qui en ont besoin.
csv-cannot-write = impossible d’écrire le CSV : { $reason }
csv-not-utf8 = le CSV n’est pas en UTF-8
number-too-large = le nombre est trop grand
generate-entropy = ({ $bits } bits d’entropie)
ca-file-no-pem = le fichier de l’autorité de certification ne contient aucun certificat PEM
qr-cannot-draw = impossible de dessiner le code QR : { $reason }
qr-cannot-write = impossible d’écrire le code QR dans { $path } : { $reason }

## coffre import : les refus des formats (import/input.rs, csv.rs et l’analyseur de chaque format)

import-file-too-large = { $path } dépasse { $mib } Mio, le maximum que lit `coffre import` : est-ce le bon fichier ? Découpez un export plus grand en plusieurs fichiers
import-too-many = { $path } contient plus de { $max } entrées, plus que n’en prend une importation : découpez-le en plusieurs fichiers ; rien n’a été importé
import-not-utf8 = { $path } n’est pas du texte UTF-8 (le premier octet invalide est à la ligne { $line }) : enregistrez-le ou exportez-le de nouveau en UTF-8 (dans LibreOffice ou Excel : « CSV UTF-8 ») ; rien n’a été importé
import-not-bitwarden-csv = { $path } n’est pas un export CSV de Bitwarden : il n’a pas de colonne « { $column } » (pour un tableur, utilisez --format csv)
import-not-keepassxc-csv = { $path } n’est pas un export CSV de KeePassXC : il n’a pas de colonne « { $column } » (pour un tableur, utilisez --format csv)
import-not-bitwarden-json = { $path } n’est pas un export JSON de Bitwarden (ligne { $line }, colonne { $column }) : exportez de nouveau avec Fichier > Exporter le coffre > .json
import-bitwarden-encrypted = { $path } est un export chiffré de Bitwarden : exportez de nouveau en choisissant le format « JSON », pas « JSON (chiffré) »
import-keepass-key-file = impossible de lire le fichier clé ({ $reason })
import-keepass-wrong-key = mot de passe ou fichier clé erroné pour { $path } : rien n’a été importé (le fichier clé, si la base en a un, se donne avec --key-file)
import-keepass-needs-key = une base KeePass demande son mot de passe (--password-file ou la question) ou --key-file
import-keepass-version = { $path } n’est pas une base KeePass que coffre sait lire (KDBX 3.1 ou 4) : enregistrez-la de nouveau avec KeePassXC
import-keepass-cannot-open = impossible d’ouvrir { $path } comme base KeePass : { $reason }
import-keepass-kdf-memory = { $path } demande { $mib } Mio de mémoire pour dériver sa clé, plus que les { $max } Mio que coffre accorde à une base KeePass : rien n’a été importé. Si c’est votre base, réduisez la mémoire de sa dérivation de clé dans KeePass ou KeePassXC (Paramètres de la base de données, Sécurité) et enregistrez-la de nouveau
import-keepass-kdf-rounds = { $path } demande { $rounds } tours de dérivation de clé, plus que les { $max } que coffre exécute pour une base KeePass (ce serait trop long) : rien n’a été importé. Si c’est votre base, réduisez ses tours de transformation dans KeePass ou KeePassXC (Paramètres de la base de données, Sécurité) et enregistrez-la de nouveau
import-keepass-kdf-threads = { $path } demande { $threads } fils d’exécution pour dériver sa clé, plus que les { $max } que coffre lance pour une base KeePass : rien n’a été importé. Si c’est votre base, réduisez le parallélisme de sa dérivation de clé dans KeePass ou KeePassXC (Paramètres de la base de données, Sécurité) et enregistrez-la de nouveau
import-not-1pux = { $path } n’est pas un export 1Password (.1pux) : { $reason }
import-1pux-not-zip = pas une archive zip ({ $reason })
import-1pux-too-many-files = { $path } contient { $files } fichiers ; un export 1Password que coffre lit en contient au plus { $max }
import-1pux-too-large = { $path } dépasserait une fois décompressé les { $mib } Mio que coffre lit (une bombe zip ?) : rien n’a été importé
import-1pux-no-export-data = il n’a pas de export.data
import-1pux-cannot-unpack = impossible de décompresser export.data ({ $reason })
import-1pux-bad-data = { $path } : export.data n’est pas au format d’export de 1Password (ligne { $line }, colonne { $column })
import-not-a-pass-store = { $path } n’est pas un magasin pass (il n’a pas de .gpg-id) : donnez le dossier du magasin, d’habitude ~/.password-store
import-cannot-list = impossible de lister { $path } ({ $reason })
import-pass-too-many = { $path } contient plus de { $max } entrées : importez-le par morceaux
import-map-not-a-pair = --map : « { $pair } » n’est pas de la forme CHAMP=COLONNE
import-map-not-a-field = --map : « { $field } » n’est pas un champ (platform, login, password, url, notes, totp, category, tags)
import-map-no-column = --map : { $path } n’a pas de colonne « { $column } » ; ses colonnes sont : { $columns }
import-column-unknown = impossible de savoir quelle colonne de { $path } contient le champ { $field } ; ses colonnes sont : { $columns }. Nommez-la avec --map, p. ex. --map "platform=Site,login=Utilisateur,password=Mot de passe"
import-no-header = { $path } n’a pas de ligne d’en-tête : sa première ligne doit nommer les colonnes
import-csv-unequal = { $path }, ligne { $line } : { $cells } cellules alors que l’en-tête en a { $header } (un guillemet jamais fermé, ou un séparateur dans une cellule sans guillemets ?) : corrigez le fichier et importez-le de nouveau ; rien n’a été importé
import-csv-unreadable = { $path }, ligne { $line } : illisible comme CSV : corrigez le fichier et importez-le de nouveau ; rien n’a été importé
import-category-map-not-a-pair = --category-map : « { $pair } » n’est pas de la forme DOSSIER=CATÉGORIE
import-category-map-not-a-category = --category-map : « { $category } » n’est pas une catégorie (social-network, data-bank, creation, meeting, software, financial, other)

## coffre import : où est un élément, et ce que le plan en dit (import/note.rs). `--json` garde le texte anglais
## à côté d’un code stable.

import-origin-line = ligne { $line }
import-origin-item = élément { $n }
import-origin-root-group = groupe racine
import-note-secure-note = une note sécurisée : coffre garde des comptes (gardez la note ailleurs, ou dans les notes d’une entrée)
import-note-card = une carte : coffre garde les comptes de l’organisation, pas des cartes de paiement
import-note-identity = une identité : coffre garde des comptes, pas des identités personnelles
import-note-document = un document : coffre garde des comptes, pas des fichiers
import-note-ssh-key = une clé SSH : coffre garde les mots de passe des comptes
import-note-unknown-kind = un élément d’un type que cette version de coffre ne connaît pas
import-note-unknown-category = une catégorie 1Password autre que Login et Password : pas importée
import-note-other-type = un élément de type « { $kind } » : coffre n’importe que des identifiants de connexion
import-note-archived = archivé dans 1Password
import-note-recycle-bin = dans la corbeille
import-note-keepass-reference = son mot de passe, son nom d’utilisateur ou son URL est une référence de champ KeePass (REF:…) à une entrée absente du fichier, ou pas par son UUID : copiez la valeur elle-même dans l’entrée dans KeePass
import-note-pass-cannot-run = impossible de lancer `{ $program } show` ({ $reason })
import-note-pass-cannot-read = impossible de lire `pass show` ({ $detail })
import-note-pass-unfinished = `pass show` ne s’est pas terminé ({ $detail })
import-note-pass-failed = `pass show` a échoué (code { $exit }) : votre clé GPG est-elle disponible et son agent déverrouillé ?
import-note-pass-stopped = `pass show` a été arrêté par un signal avant de finir (relancez l’importation)
import-note-pass-too-long = plus de { $kib } Kio
import-note-pass-not-text = pas du texte UTF-8
import-note-no-password = aucun mot de passe : le coffre garde des comptes avec un mot de passe (ajoutez-le dans la source, ou ajoutez l’entrée avec `coffre entry add`)
import-note-password-line-break = le mot de passe contient un saut de ligne (dans un CSV, un guillemet jamais fermé ?)
import-note-password-too-long = le mot de passe a { $bytes } octets ; le coffre en garde au plus { $max }
import-note-login-too-long = l’identifiant a { $chars } caractères ; le coffre en garde au plus { $max }
import-note-login-control = l’identifiant contient des caractères de contrôle (un saut de ligne ?)
import-note-url-too-long = l’URL a { $chars } caractères ; le coffre en garde au plus { $max }
import-note-url-control = l’URL contient des caractères de contrôle (un saut de ligne ?)
import-note-notes-too-long = les notes ont { $bytes } octets ; le coffre en garde au plus { $max } : raccourcissez-les dans la source
import-note-no-name = ni nom ni URL d’après lesquels nommer la plateforme
import-note-totp-left-out = TOTP laissé de côté : { $why }
import-note-named-after-host = sans nom : nommé d’après l’hôte de son URL, { $host }
import-note-name-cut = nom coupé à { $max } caractères (la limite du coffre)
import-note-tag-left-out = étiquette « { $tag } » laissée de côté : plus de { $max } caractères
import-note-tags-left-out = étiquettes au-delà des { $max } premières laissées de côté (la limite du coffre)
import-note-older-passwords-too-long = anciens mots de passe de plus de { $max } octets laissés de côté
import-note-history-cut = seuls les { $max } anciens mots de passe les plus récents sont gardés
import-note-same-account = le même compte que { $first } (mêmes nom, identifiant, URL et mot de passe)
import-note-renamed = renommé : { $clashes }
import-note-may-not-reveal = « { $platform } » est dans le coffre avec les mêmes identifiant et URL, et vous ne pouvez pas afficher son mot de passe pour comparer : laissé tel quel
import-note-identical = déjà dans le coffre avec les mêmes identifiant, URL et mot de passe
import-note-resumed = dans le coffre avec un ancien mot de passe du fichier : { $later ->
    [one] son { $later } mot de passe plus récent est ajouté
   *[other] ses { $later } mots de passe plus récents sont ajoutés
} comme nouvelles versions
import-note-other-password = « { $platform } » est dans le coffre avec les mêmes identifiant et URL, mais un autre mot de passe : laissé tel quel (si le fichier est plus récent, changez-le avec `coffre entry edit { $platform } --new-password`)
import-note-refused = pas fait : { $message }
import-stopped = l’importation s’est arrêtée : { $reason } (relancez la même importation pour la terminer)
import-totp-not-time-based = une valeur otpauth://{ $kind } n’est pas un code basé sur l’heure (seul TOTP est gardé)
import-totp-algorithm = le code utilise { $value } ; le coffre ne calcule que des codes SHA-1 (RFC 6238)
import-totp-digits = le code a { $value } chiffres ; le coffre calcule des codes de 6 chiffres
import-totp-period = le code change toutes les { $value } s ; le coffre calcule des codes de 30 secondes
import-totp-no-secret = l’URI otpauth n’a pas de secret
import-totp-not-a-uri = ni une URI otpauth://totp/ ni du base32 (p. ex. un code Steam)
import-totp-not-a-seed = pas une clé qu’une application d’authentification accepte (16 à 103 caractères base32 : lettres A-Z et chiffres 2-7)
import-clash-taken = « { $name } » est déjà pris dans le fichier ({ $origin })
import-clash-other-account = « { $name } » est un autre compte du coffre (autre identifiant ou autre URL)
import-action = { $action ->
    [create] créer
    [create-renamed] créer-renommé
    [resume] compléter
    [skip-identical] déjà-là
    [failed] échec
   *[skip] ignorer
}
import-versions = , { $count } versions

## coffre import

import-map-csv-only = --map va avec --format csv ; les autres formats nomment leurs propres colonnes
import-keepass-only = --password-file et --key-file vont avec --format keepass
import-some-failed = certaines entrées n’ont pas été créées (voir plus haut) ; corrigez-les et importez de nouveau : ce qui est déjà là est sauté
import-empty = { $path } ne contient aucune entrée : rien à importer
import-keepass-password-not-text = le mot de passe KeePass n’est pas du texte UTF-8
# Les colonnes devinées d’après l’en-tête d’un tableur, nommées par leurs clés de --map (ce qu’on tape pour corriger).
import-columns = Colonnes : { $columns }
import-column = { $field } <- « { $header } »
import-preview-heading = Premières lignes :
import-preview-row = { $origin } : plateforme « { $platform } », identifiant « { $login } », mot de passe { $password ->
    [empty] vide
   *[set] présent
}
import-dry-run = Essai à blanc : rien n’a été créé. { $create ->
    [one] { $create } serait créée
   *[other] { $create } seraient créées
} ({ $renamed ->
    [one] { $renamed } renommée
   *[other] { $renamed } renommées
}), { $resume ->
    [one] { $resume } complétée
   *[other] { $resume } complétées
} avec des versions plus anciennes, { $identical } déjà dans le coffre, { $skipped ->
    [one] { $skipped } sautée
   *[other] { $skipped } sautées
}.
import-done = { $created ->
    [one] { $created } entrée importée
   *[other] { $created } entrées importées
} ({ $versions ->
    [one] { $versions } version
   *[other] { $versions } versions
}) en { $seconds } s ; { $resumed ->
    [one] { $resumed } complétée
   *[other] { $resumed } complétées
}, { $identical } déjà dans le coffre, { $skipped ->
    [one] { $skipped } sautée
   *[other] { $skipped } sautées
}, { $failed } en échec.
import-delete-the-file = { $file } contient tous les mots de passe en clair. Maintenant qu’ils sont dans le coffre, supprimez-le (p. ex. `shred -u { $file }`), videz la corbeille et supprimez toute autre copie (dossier de téléchargements, courriel, sauvegardes).

## Les erreurs d’utilisation de clap (usage.rs).
usage-argument-repeated = l’argument « { $arg } » ne peut pas être donné plusieurs fois
usage-argument-conflict = l’argument « { $arg } » ne peut pas être utilisé avec « { $other } »
usage-argument-conflicts = l’argument « { $arg } » ne peut pas être utilisé avec :
usage-argument-conflict-others = l’argument « { $arg } » ne peut pas être utilisé avec un ou plusieurs des autres arguments donnés
usage-no-equals = il faut un signe = pour donner une valeur à « { $arg } »
usage-value-missing = « { $arg } » demande une valeur, mais aucune n’a été donnée
usage-value-invalid = valeur « { $value } » invalide pour « { $arg } »
usage-unknown-subcommand = sous-commande « { $command } » inconnue
usage-missing-arguments = ces arguments obligatoires manquent :
usage-missing-subcommand = « { $command } » demande une sous-commande, mais aucune n’a été donnée
usage-subcommands = [sous-commandes : { $values }]
usage-too-many-values = valeur « { $value } » de trop pour « { $arg } » ; aucune autre n’était attendue
usage-too-few-values = « { $arg } » demande { $min } valeurs ; { $actual ->
    [one] seulement { $actual } a été donnée
   *[other] seulement { $actual } ont été données
}
usage-wrong-number-of-values = « { $arg } » demande { $expected } valeurs, mais { $actual ->
    [one] { $actual } a été donnée
   *[other] { $actual } ont été données
}
usage-value-rejected = valeur « { $value } » invalide pour « { $arg } » : { $reason }
usage-unknown-argument = argument « { $arg } » inattendu
usage-invalid-utf8 = un ou plusieurs arguments ne sont pas de l’UTF-8 valide
usage-did-you-mean = astuce : { $count ->
    [one] { $what ->
        [subcommand] une sous-commande semblable existe
        [argument] un argument semblable existe
       *[value] une valeur semblable existe
    }
   *[other] { $what ->
        [subcommand] des sous-commandes semblables existent
        [argument] des arguments semblables existent
       *[value] des valeurs semblables existent
    }
} : { $suggestions }
usage-quoted = « { $name } »
usage-more-information = Pour en savoir plus, essayez « { $help } ».

## `--help` et la page de manuel (help.rs) : `help-cmd-<chemin>`, `help-arg-<chemin>-<id>`.

help-cmd-connect = Épingle le certificat du démon et retient son adresse (une fois par ordinateur)
help-cmd-status = Affiche l’état du coffre et votre session (sans connexion)
help-cmd-init = Crée le coffre, une seule fois, avec sa présidence (et, au besoin, son chef)
help-cmd-enroll = Choisit votre phrase de passe et votre deuxième facteur avec le code d’inscription à usage unique reçu
help-cmd-login = Vous connecte avec votre phrase de passe et le code de votre application d’authentification
help-cmd-logout = Met fin à votre session
help-cmd-unseal = Ouvre le coffre scellé avec la phrase de passe de la présidence ou du chef
help-cmd-seal = Ferme le coffre : le démon oublie toutes les clés et toutes les sessions prennent fin
help-cmd-entry = Ajoute, liste, affiche, modifie et archive les entrées (un compte sur une plateforme chacune)
help-cmd-reveal = Affiche un secret d’une entrée ; consigné au journal d’audit avec votre motif
help-cmd-passwd = Change votre phrase de passe (présidence et chef : aussi celle qui descelle)
help-cmd-person = Ajoute, liste, fait partir des personnes, ou réinitialise leur inscription
help-cmd-grant = Accorde, liste et révoque des accès aux entrées, pour une tâche et un temps limité
help-cmd-audit = Lit, exporte et vérifie le journal d’audit
help-cmd-recover = Remet votre part de récupération ; une fois assez de détenteurs passés, le coffre s’ouvre
help-cmd-recovery = Parts de récupération : progression (status), nouveau jeu de parts (rekey), clé age d’un détenteur (keygen)
help-cmd-backup = Fait une sauvegarde du coffre
help-cmd-rotate = Change un mot de passe en deux temps : en préparer un nouveau, puis le confirmer (ou annuler)
help-cmd-rotation = Quels mots de passe devraient changer, pourquoi et depuis quand
help-cmd-generate = Crée un mot de passe ou une phrase de passe solide sur cet ordinateur (sans démon)
help-cmd-approval = Demande, liste, approuve ou refuse l’affichage unique d’une entrée très confidentielle
help-cmd-guide = Affiche un guide dans votre langue : `coffre guide recovery` pour les détenteurs de parts (imprimez-le)
help-cmd-import = Importe les comptes d’un tableur, de Bitwarden, KeePass, 1Password ou pass (--dry-run d’abord)
help-cmd-registry = Le registre des comptes officiels, sans secrets : l’exporter en CSV, JSON ou HTML
help-cmd-completions = Affiche le script de complétion pour bash, zsh, fish, elvish ou powershell
help-cmd-man = Affiche la page de manuel (roff) : `coffre man > coffre.1`
help-cmd-grant-add = Donne à une personne l’accès à une entrée ou à une catégorie, pour une tâche, jusqu’à une date
help-cmd-grant-list = Liste les accès que vous pouvez voir
help-cmd-grant-revoke = Met fin à un accès maintenant
help-arg-grant-add-person = Qui reçoit l’accès
help-arg-grant-add-entry = Une entrée, par le nom de sa plateforme
help-arg-grant-add-category = Toutes les entrées d’une catégorie
help-arg-grant-add-until = Le dernier jour d’accès (AAAA-MM-JJ, jusqu’à la fin de ce jour, heure locale), ou une heure RFC 3339
help-arg-grant-add-duration = Pour combien de temps à partir de maintenant, p. ex. 14d, 12h, 2w (au plus le maximum du démon, 90 jours par défaut)
help-arg-grant-add-task = À quoi sert l’accès (obligatoire ; consigné au journal d’audit)
help-arg-grant-revoke-id = L’identifiant de l’accès tel que `coffre grant list` l’affiche (au moins ses 8 premiers caractères)
help-arg-connect-address = L’adresse du démon : https://HÔTE:PORT, ou HÔTE:PORT (le port par défaut est 7443)
help-arg-connect-fingerprint = L’empreinte SHA-256 que coffred a affichée à son premier démarrage (64 chiffres hexadécimaux ; les deux-points et les espaces sont ignorés). L’AC n’est enregistrée que si elle correspond
help-arg-connect-yes = Fait confiance à l’AC sans rien demander. Seulement pour des scripts sur l’ordinateur même du démon
help-arg-init-president = Le nom de la présidence : la personne qui tient la banque de mots de passe
help-arg-init-leader = Le nom du chef : il reçoit un code à usage unique pour choisir sa propre phrase de passe avec `coffre enroll`
help-arg-init-passphrase_file = Lit la phrase de passe dans FICHIER (un saut de ligne final est ignoré)
help-arg-init-passphrase_stdin = Lit la phrase de passe sur l’entrée standard (un saut de ligne final est ignoré)
help-arg-init-kdf_memory_kib = Coût en mémoire d’Argon2id, en Kio (par défaut celui du démon, 65536 ; au moins 8192)
help-arg-init-kdf_iterations = Nombre d’itérations d’Argon2id (par défaut celui du démon, 3 ; au moins 1)
help-arg-init-holders = Un détenteur de part de récupération et sa clé publique age (de `age-keygen` ou `coffre recovery keygen`) ; répétez pour chaque détenteur, p. ex. --holder president=age1... --holder leader=age1...
help-arg-init-passphrase_holders = Un détenteur sans clé age, dont le fichier de part est verrouillé par une phrase de passe de son choix : tapée au terminal, ou lue dans FICHIER
help-arg-init-threshold = Combien de détenteurs doivent se réunir pour récupérer le coffre (au moins 2) [par défaut : 2]
help-arg-init-shares_dir = Où écrire un fichier de part par détenteur (dossier créé, privé, s’il n’existe pas)
help-arg-enroll-code = Le code d’inscription à usage unique qu’on vous a remis en personne, tel qu’il est écrit (espaces, tirets, majuscules ou minuscules : peu importe). Il ne sert qu’une fois : le garder dans l’historique de votre terminal ne pose aucun risque
help-arg-enroll-passphrase_file = Lit la phrase de passe dans FICHIER (un saut de ligne final est ignoré)
help-arg-enroll-passphrase_stdin = Lit la phrase de passe sur l’entrée standard (un saut de ligne final est ignoré)
help-arg-enroll-totp = Le code qu’affiche votre application d’authentification pour le nouveau deuxième facteur ; sans lui, le deuxième facteur est affiché (code QR et URI) et, au terminal, le code vous est demandé
help-arg-enroll-qr_file = Écrit aussi le code QR dans FICHIER, en image SVG (lisible par vous seulement ; supprimez-le une fois numérisé)
help-arg-login-name = Votre nom dans le coffre
help-arg-login-passphrase_file = Lit la phrase de passe dans FICHIER (un saut de ligne final est ignoré)
help-arg-login-passphrase_stdin = Lit la phrase de passe sur l’entrée standard (un saut de ligne final est ignoré)
help-arg-login-totp = Les 6 chiffres qu’affiche maintenant votre application d’authentification (à usage unique ; demandés au terminal s’ils ne sont pas donnés)
help-arg-unseal-passphrase_file = Lit la phrase de passe dans FICHIER (un saut de ligne final est ignoré)
help-arg-unseal-passphrase_stdin = Lit la phrase de passe sur l’entrée standard (un saut de ligne final est ignoré)
help-cmd-entry-add = Ajoute une entrée ; le mot de passe est lu dans un fichier, sur l’entrée standard ou au terminal
help-arg-entry-add-platform = Le nom de la plateforme, p. ex. Facebook (unique dans le coffre)
help-arg-entry-add-category = La catégorie de l’entrée
help-arg-entry-add-login = L’identifiant ou l’adresse courriel sur la plateforme
help-arg-entry-add-password_file = Lit le mot de passe dans FICHIER (un saut de ligne final est ignoré) ; sans cette option ni --password-stdin, il vous est demandé deux fois
help-arg-entry-add-password_stdin = Lit le mot de passe sur l’entrée standard (un saut de ligne final est ignoré)
help-arg-entry-add-url = La page de connexion de la plateforme
help-arg-entry-add-classification = La sensibilité de l’entrée [par défaut : restricted]
help-arg-entry-add-lifecycle = L’étape de vie de l’entrée [par défaut : active]
help-arg-entry-add-recovery_contacts = Un numéro de téléphone ou une adresse courriel que la plateforme utilise pour récupérer le compte (répétez l’option pour en donner plusieurs)
help-arg-entry-add-tags = Une étiquette libre (répétez l’option pour en donner plusieurs)
help-arg-entry-add-notes_file = Lit les notes (gardées secrètes) dans FICHIER
help-arg-entry-add-totp_seed_file = Lit dans FICHIER la clé de l’authentification à deux facteurs du compte lui-même (base32)
help-cmd-entry-list = Liste les entrées que vous pouvez voir
help-arg-entry-list-archived = Inclut les entrées archivées
help-cmd-entry-show = Affiche les détails d’une entrée (jamais ses secrets)
help-arg-entry-show-platform = Le nom de la plateforme, tel que `coffre entry list` l’affiche
help-cmd-entry-edit = Modifie une entrée ; seul ce que vous donnez change. Un nouveau mot de passe, une nouvelle clé TOTP ou de nouvelles notes créent une nouvelle version
help-arg-entry-edit-platform = Le nom de la plateforme, tel que `coffre entry list` l’affiche
help-arg-entry-edit-rename = Un nouveau nom pour la plateforme
help-arg-entry-edit-category = Une nouvelle catégorie
help-arg-entry-edit-url = Une nouvelle page de connexion ("" la retire)
help-arg-entry-edit-login = Un nouvel identifiant
help-arg-entry-edit-classification = Une nouvelle classification
help-arg-entry-edit-lifecycle = Une nouvelle étape du cycle de vie
help-arg-entry-edit-recovery_contacts = Remplace les contacts de récupération par ceux-ci (répétez l’option pour en donner plusieurs)
help-arg-entry-edit-clear_recovery_contacts = Retire tous les contacts de récupération
help-arg-entry-edit-tags = Remplace les étiquettes par celles-ci (répétez l’option pour en donner plusieurs)
help-arg-entry-edit-clear_tags = Retire toutes les étiquettes
help-arg-entry-edit-password_file = Lit un nouveau mot de passe dans FICHIER (un saut de ligne final est ignoré)
help-arg-entry-edit-password_stdin = Lit un nouveau mot de passe sur l’entrée standard (un saut de ligne final est ignoré)
help-arg-entry-edit-new_password = Tape un nouveau mot de passe au terminal (demandé deux fois)
help-arg-entry-edit-notes_file = Lit de nouvelles notes dans FICHIER (un fichier vide les retire)
help-arg-entry-edit-totp_seed_file = Lit une nouvelle clé TOTP dans FICHIER (un fichier vide la retire)
help-cmd-entry-archive = Archive une entrée qui ne sert plus ; son historique est conservé
help-arg-entry-archive-platform = Le nom de la plateforme, tel que `coffre entry list` l’affiche
help-cmd-entry-history = Affiche les versions des secrets d’une entrée : quand et par qui (jamais les secrets)
help-arg-entry-history-platform = Le nom de la plateforme, tel que `coffre entry list` l’affiche
help-cmd-entry-flag = Signale le mot de passe d’une entrée comme compromis : il est à changer jusqu’à ce qu’un nouveau soit confirmé
help-arg-entry-flag-platform = Le nom de la plateforme, tel que `coffre entry list` l’affiche
help-arg-entry-flag-compromised = Le mot de passe a été exposé (le seul signalement qui existe ; obligatoire, pour que personne ne signale par mégarde)
help-arg-entry-flag-reason = Ce qui s’est passé : ce qui a été exposé, quand, comment (obligatoire ; consigné au journal d’audit)
help-arg-reveal-platform = Le nom de la plateforme, tel que `coffre entry list` l’affiche
help-arg-reveal-reason = Pourquoi vous avez besoin du secret ; consigné au journal d’audit (obligatoire)
help-arg-reveal-field = Quel secret afficher
help-arg-reveal-version = Une version plus ancienne (présidence ou chef seulement ; voir `coffre entry history`) [par défaut : la version actuelle]
help-arg-reveal-pending = Le mot de passe de la rotation préparée pour cette entrée, pour le mettre sur la plateforme (présidence ou chef seulement)
help-arg-reveal-copy = Met le secret dans le presse-papiers au lieu de l’afficher ; effacé après 30 secondes
help-after-reveal = Le secret est écrit sur la sortie standard, suivi d’un saut de ligne. Il n’est jamais journalisé.
help-arg-passwd-passphrase_file = Lit votre phrase de passe actuelle dans FICHIER (un saut de ligne final est ignoré)
help-arg-passwd-new_passphrase_file = Lit la nouvelle phrase de passe dans FICHIER (un saut de ligne final est ignoré) ; sans cette option, elle vous est demandée deux fois
help-cmd-person-add = Ajoute une personne ; affiche son code d’inscription à usage unique, à lui remettre en personne
help-arg-person-add-name = Le nom de la personne dans le coffre (unique)
help-arg-person-add-role = Ce que la personne peut faire
help-cmd-person-list = Liste les personnes que vous pouvez voir
help-cmd-person-offboard = Met fin aux accès d’une personne qui part : sessions, accès et compte ; signale pour rotation ce qu’elle a affiché
help-arg-person-offboard-name = Le nom de la personne, tel que `coffre person list` l’affiche
help-cmd-person-reset = Donne un nouveau code d’inscription à une personne (téléphone ou phrase de passe perdus) ; ses anciens identifiants cessent de fonctionner
help-arg-person-reset-name = Le nom de la personne, tel que `coffre person list` l’affiche
help-cmd-audit-list = Liste les événements, du plus ancien au plus récent, une page à la fois (présidence, chef et vérification)
help-arg-audit-list-actor = Seulement les événements de cette personne
help-arg-audit-list-action = Seulement cette action, p. ex. reveal, login, ou une famille comme entry (entry.create, entry.update...)
help-arg-audit-list-target = Seulement les événements qui visent cette cible, p. ex. une plateforme
help-arg-audit-list-since = Seulement les événements à partir de ce moment : 2026-11-24 (00 h UTC) ou 2026-11-24T09:30:00Z
help-arg-audit-list-until = Seulement les événements avant ce moment ; une date seule inclut toute cette journée
help-arg-audit-list-after = Seulement les événements après ce numéro de séquence (celui que la page précédente indique)
help-arg-audit-list-limit = Événements par page, 500 au plus
help-cmd-audit-export = Écrit tout le journal dans un fichier que n’importe qui peut vérifier hors ligne (présidence, chef et vérification ; consigné comme un événement)
help-arg-audit-export-out = Le fichier à écrire (JSON Lines ; créé lisible par vous seulement)
help-arg-audit-export-force = Remplace FICHIER s’il existe
help-cmd-audit-verify = Vérifie un journal exporté avec la clé publique d’audit du coffre ; sans démon
help-arg-audit-verify-file = Le fichier qu’a écrit `coffre audit export`
help-arg-audit-verify-key = La clé publique d’audit du coffre, telle que `coffre status` l’affiche (ed25519:...). Obtenez-la par un moyen de confiance
help-arg-recover-share = Votre fichier de part, tel qu’on vous l’a remis (ou déjà déchiffré avec `age -d`)
help-arg-recover-identity = Votre fichier d’identité age (de `age-keygen` ou `coffre recovery keygen`), si votre part est verrouillée par une clé
help-arg-recover-share_passphrase_file = Lit dans FICHIER, plutôt qu’au terminal, la phrase de passe d’une part verrouillée par une phrase de passe
help-arg-recover-owner = De qui choisir la phrase de passe quand la récupération aboutit : le nom de la présidence ou du chef [par défaut : la présidence]
help-arg-recover-new_passphrase_file = Lit dans FICHIER, plutôt qu’au terminal, la nouvelle phrase de passe de la présidence ou du chef
help-arg-recover-new_passphrase_stdin = Lit sur l’entrée standard la nouvelle phrase de passe de la présidence ou du chef
help-cmd-recovery-status = Affiche le jeu de parts et la récupération en cours (sans connexion ; fonctionne quand le coffre est scellé)
help-cmd-recovery-rekey = Émet un nouveau jeu de parts pour les détenteurs nommés ; les anciennes parts n’ouvrent plus le coffre (présidence ou chef)
help-arg-recovery-rekey-holders = Un détenteur de part de récupération et sa clé publique age (de `age-keygen` ou `coffre recovery keygen`) ; répétez pour chaque détenteur, p. ex. --holder president=age1... --holder leader=age1...
help-arg-recovery-rekey-passphrase_holders = Un détenteur sans clé age, dont le fichier de part est verrouillé par une phrase de passe de son choix : tapée au terminal, ou lue dans FICHIER
help-arg-recovery-rekey-threshold = Combien de détenteurs doivent se réunir pour récupérer le coffre (au moins 2) [par défaut : 2]
help-arg-recovery-rekey-shares_dir = Où écrire un fichier de part par détenteur (dossier créé, privé, s’il n’existe pas)
help-cmd-recovery-keygen = Crée une paire de clés age pour un détenteur : la clé secrète va dans FICHIER, la clé publique (age1...) est affichée
help-arg-recovery-keygen-out = Où écrire la clé secrète (un nouveau fichier, mode 0600) ; gardez-la hors ligne, p. ex. sur une clé USB ou sur papier
help-cmd-backup-create = Fait une sauvegarde maintenant : un instantané cohérent, chiffré pour les clés age des détenteurs de parts (présidence ou chef)
help-arg-backup-create-out = Le fichier à écrire (il ne doit pas déjà exister ; mode 0600)
help-cmd-rotate-stage = Prépare un nouveau mot de passe : il attend comme version en attente jusqu’à ce que vous le confirmiez (présidence ou chef)
help-arg-rotate-stage-platform = Le nom de la plateforme, tel que `coffre entry list` l’affiche
help-arg-rotate-stage-generate = Laisse le démon générer le nouveau mot de passe (24 caractères de toutes les sortes, sauf si les options ci-dessous disent autrement) ; il ne transite jamais par cet ordinateur
help-arg-rotate-stage-password_file = Lit le nouveau mot de passe dans FICHIER (un saut de ligne final est ignoré)
help-arg-rotate-stage-password_stdin = Lit le nouveau mot de passe sur l’entrée standard (un saut de ligne final est ignoré)
help-arg-rotate-stage-length = Longueur en caractères (de 12 à 256) [par défaut : 24]
help-arg-rotate-stage-no_lower = Sans lettres minuscules
help-arg-rotate-stage-no_upper = Sans lettres majuscules
help-arg-rotate-stage-no_digits = Sans chiffres
help-arg-rotate-stage-no_symbols = Sans symboles (pour les plateformes qui les refusent)
help-arg-rotate-stage-words = Plutôt une phrase de passe de N mots tirés de la liste EFF Long Wordlist (de 5 à 20 ; 6 est un bon choix)
help-arg-rotate-stage-separator = Entre les mots [par défaut : -]
help-after-rotate-stage = Ensuite : `coffre reveal PLATEFORME --pending --reason TEXTE`, changez le mot de passe sur la plateforme, puis `coffre rotate confirm PLATEFORME` (ou `coffre rotate cancel PLATEFORME`).
help-cmd-rotate-confirm = Rend actuel le mot de passe préparé, une fois qu’il fonctionne sur la plateforme ; l’ancien reste dans l’historique
help-arg-rotate-confirm-platform = Le nom de la plateforme
help-arg-rotate-confirm-id = L’identifiant de la rotation tel que `coffre rotate stage` l’a affiché (au moins 8 caractères) : refusé si une autre est préparée entre-temps
help-cmd-rotate-cancel = Abandonne le mot de passe préparé ; l’entrée reste exactement comme elle était
help-arg-rotate-cancel-platform = Le nom de la plateforme
help-arg-rotate-cancel-id = L’identifiant de la rotation tel que `coffre rotate stage` l’a affiché (au moins 8 caractères) : refusé si une autre est préparée entre-temps
help-cmd-rotation-due = Liste les mots de passe à changer (trop vieux, vus par une personne partie, compromis) et ceux qui sont préparés
help-arg-generate-length = Longueur en caractères (de 12 à 256) [par défaut : 24]
help-arg-generate-no_lower = Sans lettres minuscules
help-arg-generate-no_upper = Sans lettres majuscules
help-arg-generate-no_digits = Sans chiffres
help-arg-generate-no_symbols = Sans symboles (pour les plateformes qui les refusent)
help-arg-generate-words = Plutôt une phrase de passe de N mots tirés de la liste EFF Long Wordlist (de 5 à 20 ; 6 est un bon choix)
help-arg-generate-separator = Entre les mots [par défaut : -]
help-after-generate = Le mot de passe est écrit sur la sortie standard, suivi d’un saut de ligne ; sa force en bits, sur la sortie d’erreur. Rien n’est envoyé nulle part.
help-cmd-approval-request = Demande à la présidence ou au chef la permission d’afficher une fois une entrée très confidentielle
help-arg-approval-request-platform = Le nom de la plateforme, tel que `coffre entry list` l’affiche
help-arg-approval-request-reason = Pourquoi vous avez besoin du secret ; la présidence et le chef le lisent et c’est consigné au journal d’audit (obligatoire)
help-cmd-approval-list = Présidence et chef : les demandes qui attendent une décision (toutes avec --all). Les autres : leurs propres demandes
help-arg-approval-list-all = Présidence et chef : aussi les demandes tranchées, utilisées ou expirées
help-cmd-approval-approve = Autorise l’affichage unique de la demande (présidence ou chef ; jamais pour sa propre demande)
help-arg-approval-approve-id = L’identifiant de la demande tel que `coffre approval list` l’affiche (au moins ses 8 premiers caractères)
help-arg-approval-approve-reason = Votre mot pour la personne qui demande, consigné au journal d’audit
help-cmd-approval-deny = Refuse la demande (présidence ou chef)
help-arg-approval-deny-id = L’identifiant de la demande tel que `coffre approval list` l’affiche (au moins ses 8 premiers caractères)
help-arg-approval-deny-reason = Votre mot pour la personne qui demande, consigné au journal d’audit
help-arg-guide-topic = Quel guide afficher
help-arg-import-format = Ce qu’est FICHIER
help-arg-import-file = L’exportation à lire (pour --format pass, le dossier du magasin)
help-arg-import-dry_run = Affiche ce qui serait créé, renommé ou sauté, et pourquoi ; ne crée rien
help-arg-import-map = csv : quelle colonne contient quoi, p. ex. "platform=Site,login=Utilisateur,password=Mot de passe" (champs : platform, login, password, url, notes, totp, category, tags)
help-arg-import-category = La catégorie des entrées dont le dossier, la collection ou le groupe ne correspond à aucune [par défaut : other]
help-arg-import-category_map = Des dossiers, collections ou groupes vers des catégories, p. ex. "Réseaux sociaux=social-network,Banque=financial"
help-arg-import-classification = La classification de chaque entrée importée [par défaut : restricted]
help-arg-import-password_file = keepass : lit le mot de passe de la base dans FICHIER plutôt que de le demander
help-arg-import-key_file = keepass : le fichier clé de la base
help-after-import = Chaque entrée est créée par le démon comme si elle était tapée avec `coffre entry add`, et consignée comme créée par vous. Refaire la même importation ne crée rien deux fois : une entrée déjà dans le coffre avec le même identifiant, la même URL et le même mot de passe est sautée (comparer les mots de passe est un affichage, consigné au journal d’audit avec le motif « coffre import »). Les fichiers de plus de 64 Mio sont refusés.
help-cmd-registry-export = Écrit le registre des comptes officiels (sans secret, identifiant ni note) : présidence, chef et vérification
help-arg-registry-export-format = Le format du fichier
help-arg-registry-export-out = Écrit dans FICHIER plutôt que sur la sortie standard
help-arg-registry-export-with_recovery_contacts = Ajoute les contacts de récupération de chaque compte (numéros de téléphone et adresses de personnes : présidence ou chef seulement)
help-arg-completions-shell = L’interpréteur de commandes : bash, zsh, fish, elvish ou powershell
help-value-name = { $key ->
    [category] CATÉGORIE
    [command] COMMANDE
    [field] CHAMP
    [lifecycle] CYCLE_DE_VIE
    [role] RÔLE
    [address] ADRESSE
    [dir] DOSSIER
    [duration] DURÉE
    [field-column] CHAMP=COLONNE,...
    [file] FICHIER
    [folder-category] DOSSIER=CATÉGORIE,...
    [keyfile] FICHIER-CLÉ
    [label-age1] NOM=age1...
    [label-file] NOM[=FICHIER]
    [lang] LANGUE
    [login] IDENTIFIANT
    [name] NOM
    [new] NOUVEAU
    [path] CHEMIN
    [person] PERSONNE
    [platform] PLATEFORME
    [public-key] CLÉ_PUBLIQUE
    [seq] NUMÉRO
    [tag] ÉTIQUETTE
    [target] CIBLE
    [text] TEXTE
    [time] MOMENT
    [topic] SUJET
   *[other] { $name }
}
help-arg-server = L’adresse du démon, p. ex. https://127.0.0.1:7443 [env : COFFRE_SERVER]
help-arg-ca = Le certificat d’AC du démon (PEM) au lieu de celui épinglé [env : COFFRE_CA]
help-arg-json = Affiche un objet JSON au lieu du texte, pour les scripts
help-arg-lang = La langue des messages : fr (fr-CA) ou en [env : COFFRE_LANG, sinon LANGUAGE, LC_ALL, LC_MESSAGES, LANG]
help-possible-entry-add-category-social-network = Facebook, Instagram, X, YouTube, etc.
help-possible-entry-add-category-data-bank = NationBuilder et autres banques de données
help-possible-entry-add-category-creation = Outils de design et de création
help-possible-entry-add-category-meeting = Outils de réunion
help-possible-entry-add-category-software = Logiciels et hébergement : AWS, GoDaddy, Nextcloud, Mailgun...
help-possible-entry-add-category-financial = Portails bancaires et comptes de paiement
help-possible-entry-add-category-other = Tout le reste
help-possible-entry-add-classification-public = Publique
help-possible-entry-add-classification-restricted = Restreinte
help-possible-entry-add-classification-confidential = Confidentielle
help-possible-entry-add-classification-very-confidential = Très confidentielle : l’affichage par un membre demande l’approbation de la présidence ou du chef
help-possible-entry-add-lifecycle-planned = Prévue, pas encore utilisée
help-possible-entry-add-lifecycle-active = En usage
help-possible-entry-add-lifecycle-archived = Retirée ; son historique est conservé
help-possible-entry-edit-category-social-network = Facebook, Instagram, X, YouTube, etc.
help-possible-entry-edit-category-data-bank = NationBuilder et autres banques de données
help-possible-entry-edit-category-creation = Outils de design et de création
help-possible-entry-edit-category-meeting = Outils de réunion
help-possible-entry-edit-category-software = Logiciels et hébergement : AWS, GoDaddy, Nextcloud, Mailgun...
help-possible-entry-edit-category-financial = Portails bancaires et comptes de paiement
help-possible-entry-edit-category-other = Tout le reste
help-possible-entry-edit-classification-public = Publique
help-possible-entry-edit-classification-restricted = Restreinte
help-possible-entry-edit-classification-confidential = Confidentielle
help-possible-entry-edit-classification-very-confidential = Très confidentielle : l’affichage par un membre demande l’approbation de la présidence ou du chef
help-possible-entry-edit-lifecycle-planned = Prévue, pas encore utilisée
help-possible-entry-edit-lifecycle-active = En usage
help-possible-entry-edit-lifecycle-archived = Retirée ; son historique est conservé
help-possible-reveal-field-password = Le mot de passe du compte
help-possible-reveal-field-notes = Les notes de l’entrée
help-possible-reveal-field-totp = Le code actuel de l’authentification à deux facteurs du compte lui-même, calculé par le démon
help-possible-reveal-field-totp-seed = La clé de l’authentification à deux facteurs du compte lui-même (base32 ; présidence ou chef seulement)
help-possible-person-add-role-leader = A tous les accès, comme la présidence (seule la présidence ajoute un chef)
help-possible-person-add-role-access-manager = Ajoute des membres et leur accorde l’accès aux entrées publiques et restreintes
help-possible-person-add-role-member = Voit et affiche seulement ce qu’un accès en cours couvre
help-possible-person-add-role-auditor = Lit le journal d’audit ; n’affiche jamais de secret
help-possible-grant-add-category-social-network = Facebook, Instagram, X, YouTube, etc.
help-possible-grant-add-category-data-bank = NationBuilder et autres banques de données
help-possible-grant-add-category-creation = Outils de design et de création
help-possible-grant-add-category-meeting = Outils de réunion
help-possible-grant-add-category-software = Logiciels et hébergement : AWS, GoDaddy, Nextcloud, Mailgun...
help-possible-grant-add-category-financial = Portails bancaires et comptes de paiement
help-possible-grant-add-category-other = Tout le reste
help-possible-guide-topic-recovery = Ce que gardent les détenteurs de parts et quoi faire le jour où tout va mal (imprimez-le et gardez-le avec votre part)
help-possible-guide-topic-rotation = Changer les mots de passe en deux temps, les codes des plateformes, ce qui est à changer, les approbations
help-possible-guide-topic-audit = Le journal d’audit : qui le lit, son exportation et comment le vérifier
help-possible-import-format-csv = Un tableur enregistré en CSV ; colonnes données par --map ou devinées d’après l’en-tête (en anglais ou en français)
help-possible-import-format-bitwarden-json = Exportation JSON de Bitwarden ou Vaultwarden (non chiffrée), personnelle ou d’une organisation
help-possible-import-format-bitwarden-csv = Exportation CSV de Bitwarden ou Vaultwarden
help-possible-import-format-keepass = Une base KeePass (KDBX 3.1 ou 4), en lecture seule ; c’est aussi ce qu’exporte Passbolt
help-possible-import-format-keepassxc-csv = Exportation CSV de KeePassXC
help-possible-import-format-1pux = Exportation de 1Password (.1pux)
help-possible-import-format-pass = Un magasin pass : FICHIER est son dossier ; chaque entrée est lue avec `pass show`
help-possible-import-category-social-network = Facebook, Instagram, X, YouTube, etc.
help-possible-import-category-data-bank = NationBuilder et autres banques de données
help-possible-import-category-creation = Outils de design et de création
help-possible-import-category-meeting = Outils de réunion
help-possible-import-category-software = Logiciels et hébergement : AWS, GoDaddy, Nextcloud, Mailgun...
help-possible-import-category-financial = Portails bancaires et comptes de paiement
help-possible-import-category-other = Tout le reste
help-possible-import-classification-public = Publique
help-possible-import-classification-restricted = Restreinte
help-possible-import-classification-confidential = Confidentielle
help-possible-import-classification-very-confidential = Très confidentielle : l’affichage par un membre demande l’approbation de la présidence ou du chef
help-possible-registry-export-format-csv = Pour un tableur ; les cellules qui ressemblent à des formules sont neutralisées
help-possible-registry-export-format-json = Chaque transition de chaque entrée, pour les scripts
help-possible-registry-export-format-html = Une page à imprimer ou à publier
help-possible-values-short = [valeurs possibles : { $values }]
help-possible-values-long = Valeurs possibles :
help-possible-value = { "\u00A0" }: { $text }
help-default = [par défaut : { $value }]
help-env = [variable d’environnement : { $name }]
help-heading-usage = Utilisation :
help-heading-commands = Commandes 
help-heading-options = Options 
help-heading-arguments = Arguments 
help-heading-global = Options globales 
help-flag-help = Affiche l’aide
help-subcommand-help = Affiche ce message ou l’aide de la ou des sous-commandes données
help-flag-version = Affiche la version
help-about = coffre : les mots de passe partagés de votre organisation, gardés en sûreté et avec des comptes à rendre.
help-after-help = Lancez `coffre --help` pour les variables d’environnement et les codes de sortie.
help-long-about =
    coffre garde les mots de passe partagés de votre organisation dans un coffre que fait tourner le démon coffred. Chaque fois qu’un mot de passe est affiché, le coffre consigne qui l’a demandé et pourquoi.

    La première fois sur cet ordinateur :
      coffre connect ADRESSE      comparez l’empreinte avec celle que coffred a affichée
    Ensuite :
      coffre login NOM
      coffre entry list
      coffre reveal PLATEFORME --reason "pourquoi vous en avez besoin"
help-after-long-help =
    Environnement :
      COFFRE_SERVER       l’adresse du démon, comme --server
      COFFRE_CA           le certificat d’AC du démon, comme --ca
      COFFRE_SESSION      le fichier de session (par défaut : session.json dans votre dossier d’état)
      COFFRE_CONFIG_DIR   où `coffre connect` enregistre l’adresse et l’AC

    Codes de sortie :
      0   succès
      1   autre erreur
      2   erreur d’utilisation : la ligne de commande n’a pas de sens
      3   le coffre est scellé, pas encore créé ou dans le mauvais état
      4   pas connecté, session expirée, ou nom, phrase de passe ou code erroné
      5   permission refusée
      6   introuvable
      7   existe déjà
      8   valeur invalide, refusée par le démon ou avant tout envoi
      9   démon injoignable, échec TLS, ou journal d’audit indisponible
      10  trop de tentatives, ou trop grand
      11  erreur interne du démon
      12  un export d’audit ne se vérifie pas : modifié, coupé, ou d’un autre coffre

# `coffre man` (manual.rs).
manual-cannot-write = impossible d’écrire la page de manuel : { $reason }
# Les sections de la page de manuel que clap_mangen nomme lui-même (en majuscules, comme les pages de manuel).
manual-section-name = NOM
manual-section-extra = COMPLÉMENTS
manual-section-authors = AUTEURS

# « Vouliez-vous dire » après un nom d’entrée mal tapé (suggest.rs).
did-you-mean = vouliez-vous dire « { $name } » ?

## Les dates et heures dans les phrases (le fuseau de la personne qui lit)
time-in-words = { $day } { $month ->
    [january] janvier
    [february] février
    [march] mars
    [april] avril
    [may] mai
    [june] juin
    [july] juillet
    [august] août
    [september] septembre
    [october] octobre
    [november] novembre
    [december] décembre
   *[other] { $month }
} { $year } à { $hour } h { $minute }
time-in-words-offset = { $time } (UTC{ $offset })

## Le client Web (les pages HTML de coffred)

web-skip = Aller au contenu
web-nav = Menu principal
web-nav-entries = Entrées
web-nav-add-entry = Ajouter une entrée
web-nav-add-person = Ajouter une personne
web-nav-grants = Accès
web-nav-passphrase = Changer ma phrase de passe
web-logout = Me déconnecter
web-back = Retour
web-done = Terminé : retour aux entrées
web-continue = Continuer
web-add = Ajouter
web-change = Changer
web-refused-title = Non effectué
web-csrf-refused = Ce formulaire a expiré ou n’a pas été envoyé depuis une page de ce site : ouvrez la page de nouveau et envoyez-le encore une fois.
web-bad-choice = Un choix du formulaire ne fait pas partie de ceux que la page offre : ouvrez la page de nouveau.
web-bad-date = La date n’est pas valide : choisissez un jour (AAAA-MM-JJ).
web-form-too-large = Ce formulaire est trop long pour être envoyé : raccourcissez ce que vous avez tapé (surtout de longues notes) et envoyez-le de nouveau.
web-form-unreadable = Ce formulaire n’a pas pu être lu : ouvrez la page de nouveau et envoyez-le encore une fois.
web-too-slow = coffred a mis trop de temps à préparer cette page, et s’est arrêté. Si vous faisiez une modification, ouvrez la page de nouveau et vérifiez si elle a été faite avant de la renvoyer ; si cela se répète, prévenez la personne qui s’occupe de coffred.
web-passphrases-differ = Les deux phrases de passe diffèrent : tapez deux fois la même.
web-login-title = Connexion
web-login = Me connecter
web-name = Nom
web-passphrase = Phrase de passe
web-totp-code = Code de votre application d’authentification (6 chiffres)
web-first-time = Première visite avec un code à usage unique ?
web-enrol-link = M’inscrire
web-entries-title = Entrées
web-search = Chercher par plateforme, adresse, identifiant ou étiquette
web-search-button = Chercher
web-your-access = Vos accès
web-until = jusqu’au { $time }
web-no-entries = Aucune entrée à afficher.
web-category = { $category ->
    [social-network] Réseaux sociaux
    [data-bank] Banques de données
    [creation] Outils de création
    [meeting] Outils de réunion
    [software] Logiciels et hébergement
    [financial] Finances
   *[other] Autres
}
web-category-label = Catégorie
web-classification = { $classification ->
    [public] public
    [restricted] restreint
    [confidential] confidentiel
    [very-confidential] très confidentiel
   *[other] { $classification }
}
web-classification-label = Niveau de classification
web-login-name = Identifiant :
web-entry-due = Mot de passe à changer sur la plateforme : { $why }
web-flag-summary = Signaler ce mot de passe comme compromis
web-flag-reason = Ce qui s’est passé : quoi, quand, comment (consigné au journal d’audit)
web-flag-button = Le signaler compromis
web-entry-flagged-title = Mot de passe signalé compromis
web-entry-flagged = { $platform } est signalée comme compromise : la présidence et le chef la voient parmi les mots de passe à changer jusqu’à ce qu’un nouveau soit confirmé. Votre signalement est consigné au journal d’audit.
web-entry-flagged-already = { $platform } était déjà signalée comme compromise (depuis le { $since }) : elle est parmi les mots de passe à changer. Votre signalement est consigné au journal d’audit aussi.
web-reason = Raison (obligatoire, gardée dans le journal d’audit)
web-reveal-password = Révéler le mot de passe
web-reveal-totp = Afficher le code 2FA
web-reveal-notes = Révéler les notes
web-revealed-field = { $field ->
    [password] Mot de passe :
    [totp] Code 2FA actuel :
    [notes] Notes :
   *[other] { $field } :
}
web-secret-hidden = Masqué. Révélez-le de nouveau si vous en avez encore besoin (une nouvelle raison est journalisée).
web-secret-not-text = Ce secret n’est pas du texte : révélez-le plutôt avec la commande coffre.
web-copy = Copier
web-hide-after = Le secret est retiré de cette page après { $seconds } s (sans JavaScript, le navigateur revient alors aux entrées), et elle ne le garde jamais.
web-enrol-title = Inscription
web-enrol-intro = Tapez le code à usage unique de la feuille qu’on vous a remise. Ensuite, vous ajoutez le second facteur à votre téléphone et vous choisissez votre propre phrase de passe.
web-enrol-code = Code à usage unique
web-enrol-welcome = Bienvenue, { $name }
web-enrol-role = Votre rôle : { $role }.
web-enrol-step-factor = 1. Votre second facteur
web-enrol-step-passphrase = 2. Votre phrase de passe et votre premier code
web-enrol-uri = Impossible de numériser ? Afficher l’adresse à taper dans l’application
web-qr-alt = Code QR de votre second facteur, pour votre application d’authentification
web-new-passphrase = Nouvelle phrase de passe (au moins 12 caractères)
web-repeat-passphrase = La même phrase de passe encore une fois
web-current-passphrase = Phrase de passe actuelle
web-enrol-finish = Terminer l’inscription
web-enrolled-title = Inscription terminée
web-enrolled = { $name }, vous êtes inscrit·e : connectez-vous avec votre nom, votre phrase de passe et le code de votre application.
web-passphrase-changed-title = Phrase de passe changée
web-passphrase-changed = Votre phrase de passe est changée : utilisez la nouvelle dorénavant. Vos autres sessions, sur d’autres ordinateurs ou navigateurs, sont terminées.
web-platform = Plateforme
web-url = Adresse (URL)
web-account-login = Identifiant sur la plateforme
web-password = Mot de passe
web-totp-seed = Le secret 2FA de la plateforme (facultatif : le texte en base32 qu’elle affiche pour une application)
web-notes = Notes (facultatives, secrètes)
web-entry-added-title = Entrée ajoutée
web-entry-added = { $platform } est dans le coffre.
web-role = Rôle
web-handout-address = Où s’inscrire
web-handout-fingerprint = Certificat (SHA-256)
web-handout-expires = À utiliser avant
web-handout-steps = Ouvrez l’adresse ci-dessus sur votre ordinateur ou votre téléphone, vérifiez que l’empreinte du certificat est celle ci-dessus (docs/fr/web.md explique comment), puis tapez le code à usage unique.
web-grant-new = Donner un accès
web-grant-person = Personne
web-grant-scope = À quoi
web-grant-scope-entry = Une entrée
web-grant-scope-category = Toute une catégorie
web-grant-until = Jusqu’au (dernier jour)
web-grant-task = Pour quelle tâche
web-grant-button = Donner l’accès
web-grant-list = Accès donnés
web-grant-by = Donné par
web-grant-state = État
web-grant-revoke = Révoquer
web-no-grants = Aucun accès donné pour l’instant.
web-grant-added-title = Accès donné
web-grant-added = { $person } a accès à { $scope } jusqu’au { $until }, pour : { $task }. Vous pouvez le révoquer avant dans la page « Accès ».
web-grant-revoked-title = Accès révoqué
web-grant-revoked = { $person } n’a plus cet accès.
web-nav-audit = Journal d’audit
web-audit-actor = Qui
web-audit-action = Quoi
web-audit-action-any = Toutes les actions
web-audit-target = Sur quoi
web-audit-time = Quand
web-audit-outcome = Résultat
web-audit-reason = Raison
web-audit-none = Aucun événement ne correspond.
web-audit-next = Événements suivants
web-audit-export = Exportation
web-audit-export-intro = Tout le journal en lignes JSON, avec sa tête signée : n’importe qui peut le vérifier avec la clé publique ci-dessous et `coffre audit verify`. L’exportation elle-même est journalisée.
web-audit-key = Clé publique du journal (Ed25519) :
web-audit-download = Télécharger l’exportation
web-nav-approvals = Approbations
web-approval-ask = Demander une approbation
web-approval-intro = Une entrée très confidentielle demande l’approbation d’un propriétaire pour chaque révélation : demandez-la ici, puis révélez l’entrée depuis la liste une fois approuvée.
web-approval-list = Demandes
web-approval-none = Aucune demande.
web-approval-state = { $state ->
    [pending] en attente
    [approved] approuvée
    [denied] refusée
    [used] utilisée
    [expired] expirée
   *[other] { $state }
}
web-approval-why = Vos mots (facultatif)
web-approval-approve = Approuver
web-approval-deny = Refuser
web-approval-asked-title = Approbation demandée
web-approval-asked = Votre demande pour { $platform } attend la décision de la présidence ou du chef.
web-approval-decided-title = Décision prise
web-approval-approved = { $name } peut la révéler une fois.
web-approval-denied = La demande de { $name } est refusée.
web-rotation-title = Rotation des mots de passe
web-rotation-intro = Changez un mot de passe en trois étapes : préparez-en un nouveau (le démon le tire au hasard), révélez-le et entrez-le sur la plateforme, puis confirmez. Annulez si la plateforme l’a refusé.
web-rotation-staged-list = Préparés, en attente de confirmation
web-rotation-none-staged = Rien n’est préparé.
web-rotation-reveal = Révéler le nouveau mot de passe
web-rotation-confirm = Confirmer : la plateforme l’a
web-rotation-cancel = Annuler
web-rotation-due = À changer
web-rotation-none-due = Aucun mot de passe n’est à changer.
web-rotation-reason = { $kind ->
    [age] Trop ancien :
    [offboarded] Vu par une personne partie :
    [compromised] Signalé compromis :
   *[other] { $kind } :
}
web-rotation-stage = Préparer un nouveau mot de passe
web-rotation-any = N’importe quelle entrée
web-rotation-staged = Un nouveau mot de passe pour { $platform } est préparé : révélez-le, entrez-le sur la plateforme, puis confirmez.
web-rotation-confirmed = { $platform } utilise maintenant son nouveau mot de passe.
web-rotation-cancelled = Le mot de passe préparé pour { $platform } est annulé ; l’actuel reste.
web-nav-people = Personnes
web-person-state = { $state ->
    [pending] pas encore inscrite
    [active] active
    [offboarded] partie
   *[other] { $state }
}
web-person-added = ajoutée par { $name } le { $time }
web-offboard-sure = Je comprends : { $name } perd tout accès, pour de bon
web-offboard = Retirer
web-offboard-not-confirmed = Cochez la case pour confirmer : un retrait n’est jamais annulé.
web-offboarded-title = { $name } est retiré·e
web-offboarded-grants = Accès révoqués : { $count }.
web-offboarded-sessions = Sessions terminées : { $count }.
web-offboarded-change = Mots de passe à changer maintenant
web-offboarded-nothing = Aucun : cette personne n’a révélé aucun mot de passe.
web-offboarded-seen = Ce que cette personne a vu
web-offboarded-share-holder = { $name } détient aussi la part de récupération « { $holder } » : elle compte encore pour une récupération, et sa clé age ouvre encore chaque nouvelle sauvegarde. Faites émettre maintenant un nouveau jeu de parts sans elle (sur le serveur, `coffre recovery rekey` ; voir la page Récupération).
web-nav-vault = Le coffre
web-vault-state = État
web-vault-id = Identifiant du coffre
web-vault-events = Événements d’audit
web-vault-database = Base de données
web-vault-standby = En veille
web-unseal = Desceller
web-unseal-intro = La présidence ou le chef ouvre le coffre avec sa phrase de passe (sans second facteur : desceller ouvre le coffre, cela ne connecte personne).
web-unsealed-title = Descellé
web-unsealed = Le coffre est ouvert : les personnes peuvent se connecter de nouveau.
web-seal = Sceller
web-seal-intro = Sceller oublie la clé du coffre et met fin à toutes les sessions, la vôtre aussi : personne ne peut se connecter avant qu’un propriétaire le descelle.
web-field = { $field ->
    [password] mot de passe
    [notes] notes
    [totp-seed] graine 2FA
   *[other] { $field }
}
web-lifecycle = { $state ->
    [planned] prévue
    [active] active
    [archived] archivée
   *[other] { $state }
}
web-lifecycle-label = État
web-registry-title = Registre des comptes officiels
web-registry-unnamed = (organisation sans nom : [organisation] name dans la configuration de coffred)
web-registry-of = { $organisation }.
web-registry-count = Comptes : { $count }.
web-registry-generated = En date du { $time }.
web-registry-no-secret = Aucun mot de passe, identifiant ou note n’est dans ce registre. Chaque consultation est consignée au journal d’audit.
web-registry-with-contacts = Afficher les contacts de récupération
web-registry-without-contacts = Masquer les contacts de récupération
web-registry-print = Pour en garder une copie, imprimez cette page (Imprimer dans votre navigateur, ou Ctrl+P).
web-registry-platform = Plateforme
web-registry-url = URL
web-registry-created = Créé
web-registry-contacts = Contacts de récupération
web-recovery-contacts = Contacts de récupération : qui ou quoi permet de reprendre le compte (un numéro de téléphone, une adresse, une personne), un par ligne
web-registry-transition = { $time }, par { $by }
web-edit-entry = Modifier { $platform }, son historique
web-new-password-optional = Nouveau mot de passe (laissez vide pour garder l’actuel)
web-new-totp-seed-optional = Le secret 2FA de la plateforme, quand vous activez ou refaites son second facteur (le texte en base32 qu’elle affiche pour une application ; laissez vide pour garder l’actuel)
web-new-notes-optional = Nouvelles notes, secrètes (elles remplacent les notes actuelles, que cette page n’affiche jamais ; laissez vide pour les garder)
web-remove-notes = Retirer les notes
web-save = Enregistrer
web-entry-saved-title = Entrée enregistrée
web-entry-saved = { $platform } est enregistrée ; un nouveau mot de passe crée une nouvelle version, et l’ancienne reste dans son historique.
web-archive-intro = Archiver garde l’entrée et son historique, pour la présidence et le chef seulement ; personne d’autre ne la voit plus.
web-archive = Archiver
web-entry-archived-title = Entrée archivée
web-entry-archived = { $platform } est archivée ; son historique reste.
web-versions = Versions des secrets
web-version = Numéro
web-when = Quand
web-by = Par
web-changed = Modifié
web-transitions = Changements d’état
web-no-transitions = Aucun changement d’état noté depuis la création de l’entrée.
web-reset-enrolment = Réinitialiser l’inscription de { $name } (téléphone ou phrase de passe perdus)
web-reset-sure = Je comprends : { $name } ne pourra plus se connecter avant de s’inscrire de nouveau, avec le code de la nouvelle feuille
web-reset-not-confirmed = Cochez la case pour confirmer : une réinitialisation empêche la personne de se connecter jusqu’à ce qu’elle s’inscrive de nouveau avec une nouvelle feuille. Rien n’a été réinitialisé.
web-recovery-title = Récupération et sauvegardes
web-share-set = Parts de récupération
web-share-threshold = { $threshold } parts ouvrent le coffre
web-share-holders-count = sur les { $count } émises.
web-share-issued = Émises le { $time }.
web-share-set-id = Jeu de parts :
web-holder-key = part chiffrée pour sa clé age (reçoit les sauvegardes)
web-holder-passphrase = part chiffrée avec une phrase de passe (ne reçoit aucune sauvegarde)
web-no-share-set = Ce coffre n’a pas de parts de récupération : si toutes les phrases de passe de la présidence et du chef sont perdues, rien ne l’ouvre. Émettez des parts avec la commande coffre recovery rekey.
web-recovery-in-progress = Une récupération est en cours : { $count ->
    [one] { $count } part soumise
   *[other] { $count } parts soumises
},
web-backups = Sauvegardes
web-backup-schedule-dir = Le démon écrit une sauvegarde dans { $dir }
web-backup-schedule-every = toutes les { $interval }
web-backup-schedule-keep = et garde les { $count } plus récentes.
web-no-backups-yet = Aucune sauvegarde écrite là pour l’instant.
web-no-backup-schedule = Pas de sauvegardes planifiées : réglez [backup] dir dans la configuration du démon pour en avoir.
web-backup-now-intro = Une sauvegarde maintenant, téléchargée par ce navigateur : elle est chiffrée pour les clés des détenteurs de parts, et eux seuls peuvent l’ouvrir.
web-backup-now = Faire une sauvegarde et la télécharger
web-not-found-title = Page introuvable
web-not-found = Il n’y a pas de page à cette adresse. Revenez aux entrées.

## Les refus du moteur dans le client Web : ce qu’il faut faire, avec ses pages plutôt qu’avec une commande coffre
web-daemon-sealed = le coffre est scellé : demandez à la présidence ou au chef de le desceller (avec sa phrase de passe, dans la page « Le coffre »)
web-daemon-reason-no-entry = aucune entrée de ce nom : vérifiez son nom dans la liste des entrées
web-daemon-reason-no-person = aucune personne de ce nom : vérifiez son nom dans la page « Personnes »
web-daemon-reason-needs-approval = une entrée très confidentielle demande l’approbation de la présidence ou du chef à chaque affichage : demandez-la dans la page « Approbations », puis révélez l’entrée une fois approuvée
web-daemon-reason-approval-not-needed = cette entrée n’est pas très confidentielle : elle n’a besoin d’aucune approbation, révélez-la depuis la liste des entrées
web-daemon-reason-approval-already-asked = une demande de votre part pour cette entrée, en attente ou approuvée et pas encore utilisée (voir la page « Approbations »)
web-daemon-reason-reset-own-enrolment = vous ne pouvez pas réinitialiser votre propre inscription : changez votre phrase de passe dans la page « Changer ma phrase de passe »
web-daemon-reason-no-rotation-staged = aucune rotation n’est préparée pour cette entrée : préparez-en une dans la page « Rotation des mots de passe »
web-daemon-reason-manager-ceiling = un responsable des accès ne peut accorder l’accès qu’à des entrées existantes publiques ou restreintes : vérifiez le nom de la plateforme dans la liste des entrées, ou demandez à la présidence ou au chef
web-daemon-reason-totp-seed-unreadable = le secret 2FA de cette entrée n’est pas du texte base32 : la présidence ou le chef doit le remplacer avec « Modifier…, son historique » dans la liste des entrées

## La ligne de commande de coffred (--help)
coffred-help-about = coffred, le démon de coffre : sert un coffre, en gRPC et à son client Web, sur TLS
coffred-help-arg-config = Fichier de configuration (TOML) ; voir deploy/coffred.example.toml. Les options et les variables d’environnement l’emportent sur lui
coffred-help-arg-data_dir = Dossier de données : le coffre, son journal d’audit et les fichiers TLS [par défaut : le dossier de données de l’utilisateur, p. ex. ~/.local/share/coffre]
coffred-help-arg-listen = Adresse d’écoute [par défaut : 127.0.0.1:7443]
coffred-help-arg-tls_cert = Chaîne de certificats TLS (PEM, le certificat du serveur en premier) à utiliser au lieu de l’AC propre au démon. Demande --tls-key
coffred-help-arg-tls_key = Clé privée (PEM) de --tls-cert
coffred-help-arg-storage_url = Garde les enregistrements du coffre dans PostgreSQL à cette adresse (postgresql://UTILISATEUR@HÔTE:PORT/BASE), et non dans sled. Sans mot de passe dedans : le mot de passe vient de [storage] password_file ou de PGPASSWORD
coffred-help-arg-storage_ca_file = Se connecte à PostgreSQL uniquement par TLS, en vérifiant son certificat avec cette AC (PEM) et le nom d’hôte de l’adresse ; un serveur sans TLS est refusé. Sans elle, la connexion n’est pas chiffrée
coffred-help-arg-storage_schema = Le schéma PostgreSQL des tables du coffre [par défaut : coffre]. Un coffre par schéma
coffred-help-arg-standby = Se met en veille : tant qu’un autre coffred tient le schéma PostgreSQL, attend sans servir (avec [relay], en lui relayant les clients), et reprend le coffre (scellé, comme après tout démarrage) dès que ce coffred s’arrête. Voir docs/ha.md
coffred-help-arg-arm = Arme une veille : demande la phrase de passe d’un propriétaire au démarrage (au terminal, ou une ligne sur l’entrée standard quand ce n’est pas un terminal), la vérifie auprès du coffre dans la base de données, la garde en mémoire pendant la veille, et descelle le coffre avec elle en le reprenant, sauf si un propriétaire l’a scellé exprès. Jamais depuis la valeur d’une option, l’environnement ou un fichier. Voir docs/ha.md
coffred-help-cmd-serve = Sert le coffre (par défaut)
coffred-help-cmd-show-config = Affiche la configuration en vigueur (fichier, environnement et options réunis) en TOML, puis s’arrête
coffred-help-cmd-restore = Restaure une sauvegarde dans le dossier de données, qui doit être neuf ou vide ; puis s’arrête. Démarrez ensuite coffred sur ce dossier et descellez avec une phrase de passe ou des parts de récupération
coffred-help-arg-restore-from = Le fichier de sauvegarde (coffre-....age, ou le fichier écrit par « coffre backup create »)
coffred-help-arg-restore-identity = Un fichier d’identité age (fait par « age-keygen » ou « coffre recovery keygen ») d’un des destinataires de la sauvegarde : un détenteur de récupération qui a une clé age
coffred-help-cmd-rebuild-store = Construit un nouveau dossier de données à partir du seul journal d’audit de celui-ci : le magasin est refait des modifications que porte le journal, chacune vérifiée, et chaque événement est vérifié ; puis s’arrête. Ce dossier de données est seulement lu. Pour un magasin endommagé ou perdu (voir docs/recovery.md). Demande la phrase de passe d’un propriétaire
coffred-help-arg-rebuild-store-into = Le nouveau dossier de données (il ne doit pas encore exister)
coffred-help-arg-rebuild-store-passphrase_file = Lit la phrase de passe du propriétaire dans ce fichier (sa première ligne) au lieu de la demander au terminal
coffred-help-arg-rebuild-store-passphrase_stdin = Lit la phrase de passe du propriétaire sur l’entrée standard (sa première ligne)
coffred-help-cmd-salvage = Quand le journal d’audit lui-même est endommagé : construit un nouveau dossier de données avec tout ce qui précède le dommage (le journal jusqu’au dernier bon événement, un magasin refait à partir de lui), en gardant le reste de côté octet pour octet ; puis s’arrête. Ce dossier de données est seulement lu. Demande la phrase de passe d’un propriétaire
coffred-help-arg-salvage-into = Le nouveau dossier de données (il ne doit pas encore exister)
coffred-help-arg-salvage-passphrase_file = Lit la phrase de passe du propriétaire dans ce fichier (sa première ligne) au lieu de la demander au terminal
coffred-help-arg-salvage-passphrase_stdin = Lit la phrase de passe du propriétaire sur l’entrée standard (sa première ligne)
coffred-help-cmd-migrate = Déplace les enregistrements du coffre de sled (DATA_DIR/db) vers le schéma PostgreSQL que nomme la configuration ([storage] backend = "postgres"), hors ligne : vérifiés avec le journal d’audit avant et après, puis le magasin de sled est renommé db.moved-to-postgres. Demande la phrase de passe d’un propriétaire. Voir docs/ha.md
coffred-help-arg-migrate-passphrase_file = Lit la phrase de passe du propriétaire dans ce fichier (sa première ligne) au lieu de la demander au terminal
coffred-help-arg-migrate-passphrase_stdin = Lit la phrase de passe du propriétaire sur l’entrée standard (sa première ligne)
