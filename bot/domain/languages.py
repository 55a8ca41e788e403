"""The vocabulary in Russian, Spanish, Portuguese and German (English lives in `vocabulary`).

Word lists only, no logic: `wordforms` reads them with a Snowball stemmer per language (so
"убери", "уберите" and "убрать" are one verb) and rapidfuzz for typos. Verbs are written as
people write them to a bot: informal and formal imperatives, and infinitives (after "можешь",
"puedes", "pode", "kannst du"). Everything is lower case; accents are written as the language
writes them, and the matcher also accepts them left out.
"""

from __future__ import annotations

from bot.domain.models import Intent

# Snowball's names for the languages (Telegram's language_code -> stemmer).
STEMMERS: dict[str, str] = {
    "en": "english", "ru": "russian", "es": "spanish", "pt": "portuguese", "de": "german",
}  # fmt: skip

# Verbs that open an instruction for the clip: change, remove, add, replace, restyle,
# relight, animate, continue, shoot.
VERBS: dict[str, str] = {
    "ru": """убери уберите убрать удали удалите удалить сотри сотрите стереть сделай сделайте
        сделать добавь добавьте добавить замени замените заменить поменяй поменяйте поменять
        измени измените изменить преврати превратите превратить перекрась перекрасьте
        перекрасить покрась покрасить раскрась раскрасить нарисуй нарисовать дорисуй дорисовать
        вставь вставить поставь поставить надень наденьте надеть сними снимите снять оживи
        оживите оживить анимируй анимируйте анимировать продолжи продолжите продолжить осветли
        осветлить затемни затемнить освети осветить размой размыть стилизуй стилизовать
        переделай переделать перерисуй перерисовать наложи наложить уменьши уменьшить увеличь
        увеличить ускорь ускорить замедли замедлить поверни повернуть отзеркаль
        смени сменить пусть запусти засними меняй менять начни начать""",
    "es": """quita quite quitad quitar elimina elimine eliminar borra borre borrar haz haga hacer
        pon ponga poner añade añada añadir anade anadir agrega agregue agregar cambia cambie
        cambiar cambies reemplaza reemplace reemplazar sustituye sustituya sustituir convierte
        convierta
        convertir transforma transforme transformar pinta pinte pintar anima animar aclara
        aclarar oscurece oscurecer ilumina iluminar continúa continua continúe continuar sigue
        estiliza estilizar dale dar empieza empezar comienza comenzar mete meter saca sacar
        cubre cubrir vuelve volver
        convierte gira girar acelera ralentiza colorea colorear rellena viste vestir graba
        grabar rueda filma filmar""",
    "pt": """tira tire tirar remove remova remover apaga apague apagar faz faça faca fazer deixa
        deixe deixar coloca coloque colocar põe ponha bota bote botar adiciona adicione
        adicionar acrescenta acrescente troca troque trocar muda mude mudar substitui substitua
        substituir transforma transforme transformar converte converta converter pinta pinte
        pintar anima animar clareia clarear escurece escureça escurecer ilumina iluminar
        continua continue continuar dá dar bota gira começa comece começar girar acelera veste
        vestir grava gravar
        filma filmar""",
    "de": """entferne entfern entfernen lösche lösch löschen loesche mach mache machen macht füge
        füg fuege hinzufügen ersetze ersetz ersetzen tausche tausch tauschen ändere änder ändern
        aendere verwandle verwandel verwandeln setz setze setzen stell stelle stellen animiere
        animier animieren erwecke erweck färbe färb färben mal male malen hell helle erhelle
        verdunkle dunkle lass lasse gib gebt füll fülle beginne beginn starte fange tönen drehe
        dreh spiegle
        beschleunige verlangsame filme film filmen zieh zieh setzt fort fortsetzen""",
}
# Infinitives a polite question carries ("можешь убрать", "puedes quitar", "kannst du ...
# entfernen"): they count anywhere in a clause. Shorter imperatives count at its start only.
MODALS: dict[str, str] = {
    "ru": "можешь можете мог могла могли сможешь нужно надо хочу хотелось хотел бы пожалуйста",
    "es": "puedes puede podrías podria podrías quiero quisiera necesito porfa favor",
    "pt": "pode podes poderia quero queria preciso pfv favor",
    "de": "kannst könntest kannste können könnten möchte möchten will bitte",
}
# Words a wish opens with: "хочу чтобы небо было фиолетовым", "quiero que el cielo sea...".
WISHES: dict[str, tuple[str, ...]] = {
    "ru": ("хочу чтобы", "хочу, чтобы", "хотелось бы", "пусть", "нужно чтобы", "надо чтобы"),
    "es": ("quiero que", "quisiera que", "me gustaría que", "que sea", "que se vea"),
    "pt": ("quero que", "queria que", "gostaria que", "faz com que"),
    "de": (
        "ich möchte, dass", "ich möchte dass", "ich will, dass", "ich will dass", "ich hätte gern",
    ),
}  # fmt: skip

# Conversation words: a short message made of these (and fillers) is that conversation step.
# Phrases are joined with "_". A word may count for two steps ("отмени" cancels, "отмени
# последнее изменение" undoes): the step with the most words wins, ties in the order below.
CONVERSATION: dict[Intent, str] = {
    Intent.REDO: """отменённое отмененное отменённые отмененные rehacer rehaz rehazlo refazer refaz
        refaça wiederherstellen wieder_her re-apply reapply redo""",
    Intent.UNDO: """назад верни вернуть вернись откати откатить предыдущий предыдущая предыдущую
        предыдущей прошлую прошлый прошлая как_было было хуже обратно последнее_изменение
        deshacer deshaz deshazlo atrás atras vuelve volver regresa regresar anterior revierte
        revertir peor desfazer desfaz desfaça volta voltar reverte reverter pior rückgängig
        zurück vorherige vorherigen vorige schlechter worse undo revert
        back previous original""",
    Intent.RETRY: """ещё_раз еще_раз снова заново другой_вариант перегенерируй повтори дубль
        попробуй попробовать de_nuevo otra_vez otra_toma otro_intento regenera repite
        repítelo repitelo inténtalo intentalo prueba de_novo outra_vez mais_uma_vez
        outra_tomada gera_de_novo repete tenta nochmal noch_mal erneut versuch neuer_versuch
        neu_generieren wiederhole probieren take one_more_go another_go retry regenerate
        reroll""",
    Intent.CANCEL: """стоп стой отмена отмени отменить подожди не_надо забей забудь хватит
        прекрати para detente cancela cancelar espera olvídalo olvidalo déjalo dejalo alto
        mejor_no ya_no pare deixa_pra_lá deixa_pra_la esquece stopp halt abbrechen brich_ab
        warte vergiss lass_es hör_auf hoer_auf egal wait hold_on scratch_that stop cancel abort
        don't dont""",
    Intent.HISTORY: """история историю покажи_все_версии что_я_сделал сделал сделала сделали
    historial versiones
        muéstrame muestrame hecho histórico historico versões versoes mostra fiz verlauf
        versionen zeig gemacht history versions made""",
    Intent.SPEND: """потратил потратила стоило баланс сколько gastado costó costo saldo cuánto
        cuanto gastei custou quanto ausgegeben gekostet guthaben wie_viel cost spent spend""",
    Intent.HELP: """помощь помоги умеешь пользоваться команды ayuda puedes_hacer funciona comandos
        ajuda pode_fazer funciona comandos hilfe was_kannst_du funktioniert befehle""",
}
# Words a conversation message may hold besides its conversation words, in any language.
CONVERSATION_NEUTRAL = """версию версия версии изменение последнее все сделай сделать давай
    один одна ещё еще версию version versión version versão versao cambio mudança änderung
    schritt geh gehe mach mache machen stell die das ist geworden quedó quedo ficou fica
    stalo стало стал этим этого tudo todo alles bisher so far hasta ahora agora вариант
    render job generation"""

# Fillers and function words: no content for Kling and no step of their own.
FILLERS: dict[str, str] = {
    "en": """the a an it it's its that that's this is please pls plz ok okay now just so and then
        well oh um uh yes yeah no nah hmm alright right bot kling me my to on of at in for
        again can could you u what did have i we""",
    "ru": """пожалуйста пжл пж плиз плз ну ок окей ладно так давай а и но же ли это этот эта эти
        это то тот всё все уже еще ещё ж вот как что кто где когда почему зачем я мы ты вы он
        она оно они мне меня нам нас тебе тебя вам вас его её ее их мой моя моё мои твой твоя
        наш наша ваш ваша на в во с со к ко по о об от до из за у для без под над при про
        тут там здесь сейчас потом теперь просто только очень немного чуть бы не нет да
        стало стал стала станет какой какая какие""",
    "es": """por favor porfa porfis pls ok vale bueno pues y o pero que qué como cómo cuando
        cuándo donde dónde quien quién el la los las lo le les un una unos unas al del de en
        con sin para por a mi mis tu tus su sus yo tú tu él ella nosotros me te se nos esto
        esta este eso esa ese aquí ahí ahora luego ya solo muy un poco más mas también no sí
        si hasta he has ha hemos""",
    "pt": """por favor pfv pf pls ok tá ta beleza então entao e ou mas que o a os as um uma uns
        umas ao do da dos das de em no na nos nas num numa com sem pra pro para por eu tu ele
        ela nós nos você voce me te se isso isto esse essa este esta aqui aí ai agora depois
        já ja só so muito pouco mais também não nao sim até meu minha meus minhas seu sua""",
    "de": """bitte danke ok okay also na ja nein und oder aber dass das der die den dem des ein
        eine einen einem einer es er sie wir ich du ihr mir mich dir dich ihm uns euch mein
        meine dein deine sein seine in im an am auf aus mit ohne für zu zum zur von vom bei
        nach über unter vor hier da jetzt dann noch schon nur sehr etwas mal doch wie was wer
        wo wann warum nicht kein keine habe hab hast hat""",
}
# Small talk: thanks, greetings, reactions, agreement.
CHIT_CHAT: dict[str, str] = {
    "ru": """спасибо спс спасиб благодарю пасиб класс круто клёво клево супер вау ого офигеть
        прикольно неплохо отлично отличная отличный хорошо норм нормально годится красота
        шикарно красиво здорово привет приветик здравствуйте здравствуй хай доброе добрый
        спокойной пока до завтра свидания понятно ясно понял поняла ага
        угу лол ахах ахаха хаха хахаха ор жесть кайф огонь топ бро чувак молодец нравится
        ничего себе сорри извините извини прости тест проверка""",
    "en": """thanks thank thx ty cool nice great awesome amazing perfect wow lol haha hi hello
        hey yo bye ugh test testing""",
    "es": """gracias grax graciasss mil genial guay increíble increible wow jaja jajaja jeje lol
        encanta chido chévere chevere buenísimo buenisimo bien perfecto lujo bonito hola
        buenos buenas días dias tardes noches adiós adios chao chau hasta luego vemos
        entendido entiendo claro ajá aja vale manches perdón perdon disculpa lo siento crack
        crack bro tío tio amigo prueba probando lujo""",
    "pt": """obrigado obrigada valeu vlw brigado show top demais legal incrível incrivel nossa
        kkk kkkk kkkkk rsrs rs adorei amei lindo linda ótimo otimo massa perfeito oi olá ola
        bom boa dia tarde noite tchau falou até mais entendi claro aham caramba eita
        desculpa foi mal beleza blz mano cara teste testando valeu""",
    "de": """danke dankeschön dankeschoen vielen dank cool geil krass wow haha lol toll super
        gut perfekt klasse hammer schön schoen hallo hi moin servus guten morgen abend tag
        gute nacht tschüss tschuess ciao bis später spaeter verstanden klar genau alles oha
        sorry entschuldigung gefällt gefaellt test teste""",
}
# The message retracts what came before it: "make it rainy, no wait, forget it".
RETRACTIONS = (
    "no wait", "wait no", "nah", "nope", "never mind", "nevermind", "forget it", "scratch that",
    "don't", "dont", "actually no", "no no", "not yet",
    "не надо", "хотя нет", "нет", "не", "неа", "стоп", "забудь", "забей", "отмена", "передумал",
    "no", "mejor no", "olvídalo", "olvidalo", "espera", "déjalo", "dejalo", "nah",
    "não", "nao", "esquece", "deixa", "deixa pra lá", "melhor não",
    "nein", "ne", "nee", "lieber nicht", "vergiss es", "warte", "doch nicht",
)  # fmt: skip
# Clause openers that negate the verb after them ("не убирай", "no quites", "não tira").
NEGATIONS: dict[str, str] = {
    "ru": "не нельзя никогда",
    "es": "no nunca jamás",
    "pt": "não nao nunca",
    "de": "nicht kein keine keinen niemals nie",
}
# A clause opening with these tells about the past, not what to do ("я уже сам убрал").
NARRATORS: dict[str, str] = {
    "ru": "я мы уже",
    "es": "yo ya nosotros",
    "pt": "eu já ja nós",
    "de": "ich wir habe hab hatte",
}
QUESTION_WORDS: dict[str, str] = {
    "ru": "что как почему зачем кто где когда какой какая сколько ли а ты",
    "es": "qué que cómo como por qué quién quien dónde donde cuándo cuando cuál cual sabes eres",
    "pt": "que como por quem onde quando qual sabe você voce é",
    "de": "was wie warum wer wo wann welche welcher kannst bist sprichst ist",
}

# A new shot guided by the clip ("refer"): "следующий кадр", "siguiente escena", "nächste
# szene", "continúa la escena".
REFER = (
    r"(?:следующ\w*|нов\w*|друг\w*)\s+(?:кадр|сцен\w*|дубл\w*|план)|продолж\w*\s+(?:сцен\w*|видео|"
    r"ролик\w*|это)|(?:siguiente|nueva|próxima|proxima|otra)\s+(?:toma|escena|plano)|"
    r"contin[uú]a\s+(?:la\s+)?(?:escena|toma|video|vídeo)|(?:próxim[ao]|proxim[ao]|nov[ao]|outr[ao])"
    r"\s+(?:cena|take|tomada|plano)|continu[ae]\s+(?:a\s+)?(?:cena|tomada|v[íi]deo)|"
    r"(?:nächste|naechste|neue|nächster|neuer)\s+(?:szene|shot|einstellung|aufnahme)|"
    r"setz\w*\s+(?:die\s+)?szene\s+fort|(?:die\s+)?szene\s+fortsetzen"
)

# Number words before a unit of time ("пять секунд", "cinco segundos", "fünf Sekunden").
def _counted(text: str) -> dict[str, int]:
    return {word: n for n, word in enumerate(text.split(), start=1)}


NUMBERS: dict[str, int] = {
    **_counted("один два три четыре пять шесть семь восемь девять десять"),
    **_counted("одну две трёх четырёх пяти шести семи восьми девяти десяти"),
    **_counted("uno dos tres cuatro cinco seis siete ocho nueve diez"),
    **_counted("um dois três quatro cinco seis sete oito nove dez"),
    **_counted("eins zwei drei vier fünf sechs sieben acht neun zehn"),
    "una": 1, "uma": 1, "duas": 2, "tres": 3, "ein": 1, "eine": 1,
}  # fmt: skip
SECONDS = r"(?:секунд[аыу]?|сек\.?|segundos?|seg\.?|sekunden?|sek\.?)"
# Parameter phrases (see params.py): the pattern's name says the value.
PRO = (
    r"(?:в|на)\s+(?:самом\s+)?(?:лучшем|высоком|хорошем|максимальном|отличном)\s+качестве|"
    r"(?:лучшее|высокое|максимальное)\s+качество|(?:en\s+)?(?:la\s+)?(?:mejor|alta|máxima|maxima)"
    r"\s+calidad|calidad\s+(?:alta|máxima|maxima)|(?:na\s+|em\s+)?(?:melhor|alta|máxima|maxima)"
    r"\s+qualidade|qualidade\s+(?:alta|máxima|maxima)|(?:in\s+)?(?:bester|beste|hoher|hohe|"
    r"höchster|maximaler)\s+qualität"
)
STD = (
    r"(?:в|на)\s+(?:низком|плохом|обычном|стандартном|среднем)\s+качестве|(?:низкое|обычное)\s+"
    r"качество|черновик\w*|черново\w*|(?:en\s+)?calidad\s+(?:baja|normal|estándar|estandar|media)|"
    r"(?:en\s+)?(?:baja|menor)\s+calidad|borrador|(?:em\s+)?qualidade\s+(?:baixa|normal|padrão|"
    r"padrao|média)|(?:em\s+)?baixa\s+qualidade|rascunho|(?:in\s+)?(?:niedriger|niedrige|geringer|"
    r"geringe|einfacher|einfache|normaler|normale)\s+qualität|entwurf"
)
VERTICAL = (
    r"вертикальн\w*|hochformat\w*|(?:en|na|no|em|im)\s+(?:formato\s+)?vertical|"
    r"(?:для|para|pro|pra|für)\s+(?:el\s+|o\s+|den\s+)?(?:тикток\w*|tik\s?tok|reels?|рилс\w*|"
    r"сторис|stories|shorts)"
)
LANDSCAPE = r"горизонтальн\w*|querformat\w*|(?:en|na|no|em|im)\s+(?:formato\s+)?horizontal"
SQUARE = r"квадрат\w*|cuadrad[oa]|quadrad[oa]|quadratisch\w*"
SOUND_ON = (
    r"(?:со|с)\s+(?:звуком|музыкой|аудио)|con\s+(?:sonido|audio|música|musica)|"
    r"com\s+(?:som|áudio|audio|música|musica)|mit\s+(?:ton|sound|musik|audio)"
)
SOUND_OFF = (
    r"без\s+(?:звука|музыки)|беззвучн\w*|sin\s+(?:sonido|audio|música|musica)|"
    r"sem\s+(?:som|áudio|audio|música|musica)|ohne\s+(?:ton|sound|musik|audio)|stumm\w*"
)
# Where any of the phrases above may start: the parameter patterns are tried only then.
TRIGGER = (
    r"(?<!\w)(?:секунд|сек|segund|seg\b|sekund|sek\b|вертикал|горизонтал|квадрат|hochformat|"
    r"querformat|quadrat|cuadrad|quadrad|тикток|рилс|сторис|качеств|calidad|qualidade|qualität|"
    r"чернов|borrador|rascunho|entwurf|звук|музык|аудио|беззвуч|sonido|som\b|ton\b|musik|música|"
    r"musica|áudio|stumm)"
)

# Words that make a message talk rather than describe a picture: people, "is/was/will",
# "today/here", comparisons. A message without an instruction verb that holds one of these
# is not worth asking about ("my friend will love this", "сегодня дождь весь день").
CHATTY: dict[str, str] = {
    "en": """i i'm im me my we our you your u is are was were will be been gonna wanna
        today here there now better worse than oops brb lmao lmfao typo ya tbh honestly
        actually okk kk""",
    "ru": """я мне меня мой моя мои мы нас наш ты тебя твой вы жена муж друг друзьям друзья
        будет был была было будут есть сегодня вчера завтра тут здесь лучше хуже быстро долго
        чем хм хмм ммм такое получилось ожидал""",
    "es": """yo me mi mis nosotros tú te tu su novia novio amigos es está esta estoy estaba fue
        va era son hoy aquí aqui ayer mañana mejor peor que rápido mmm quedó equivoqué""",
    "pt": """eu me meu minha meus minhas nós você voce namorada namorado amigos é está tá tô
        foi vai era são ficou hoje aqui ontem amanhã melhor pior rápido sei lá demorou""",
    "de": """ich mir mich mein meine du dein wir unser ist bin war wird wurde hat habe sind
        sieht ging heute hier gestern morgen besser schneller schnell als naja freundin
        freund gerade echt""",
}
