# Les messages de coffre en français (Canada). Chaque identifiant de ../en/coffre.ftl est ici avec les mêmes
# arguments (un test le vérifie). Typographie : espace insécable avant « : », espace fine insécable avant ; ? !

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
    coffred a affichée à son démarrage (« CA certificate … SHA-256 fingerprint »), ou `coffre status` sur un
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
passwd-done = Votre phrase de passe est changée. Si vous êtes la présidence ou le chef, c’est aussi elle qui descelle le coffre désormais ; l’ancienne ne le fait plus.
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
