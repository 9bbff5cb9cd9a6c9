"""Word lists and sentence templates for the simulated newsroom (ru / uk / en).

Written for this project. Numbers inside templates are placed so they need no agreement
("— {n1}", "{pct}%", "{money}"), except ``{n1p}`` which ``textgen`` inflects, and ``{n3}``
which is always a multiple of 100 (so the genitive plural is right in ru/uk).
"""

from __future__ import annotations

LANGS = ("ru", "uk", "en")
CATEGORIES = ("society", "economy", "technology", "sports", "entertainment", "science", "other")
TOPICS = {
    "society": ("fire", "transport"),
    "economy": ("plant", "prices"),
    "technology": ("app", "outage"),
    "sports": ("match", "marathon"),
    "entertainment": ("festival", "exhibition"),
    "science": ("discovery", "expedition"),
    "other": ("weather", "zoo"),
}

# --- people -------------------------------------------------------------------------------
# first names: (ru, uk, en, gender)
FIRST_SLAVIC = (
    ("Алексей", "Олексій", "Alexei", "m"),
    ("Андрей", "Андрій", "Andrei", "m"),
    ("Дмитрий", "Дмитро", "Dmitry", "m"),
    ("Сергей", "Сергій", "Sergei", "m"),
    ("Михаил", "Михайло", "Mikhail", "m"),
    ("Игорь", "Ігор", "Igor", "m"),
    ("Олег", "Олег", "Oleg", "m"),
    ("Николай", "Микола", "Nikolai", "m"),
    ("Ирина", "Ірина", "Irina", "f"),
    ("Елена", "Олена", "Elena", "f"),
    ("Наталья", "Наталія", "Natalia", "f"),
    ("Ольга", "Ольга", "Olga", "f"),
    ("Татьяна", "Тетяна", "Tatiana", "f"),
    ("Анна", "Анна", "Anna", "f"),
    ("Мария", "Марія", "Maria", "f"),
    ("Юлия", "Юлія", "Yulia", "f"),
)
# surnames: (ru m, ru f, uk m, uk f, en m, en f)
SURNAMES_SLAVIC = (
    ("Соколов", "Соколова", "Соколов", "Соколова", "Sokolov", "Sokolova"),
    ("Белов", "Белова", "Бєлов", "Бєлова", "Belov", "Belova"),
    ("Морозов", "Морозова", "Морозов", "Морозова", "Morozov", "Morozova"),
    ("Лебедев", "Лебедева", "Лебедєв", "Лебедєва", "Lebedev", "Lebedeva"),
    ("Новиков", "Новикова", "Новіков", "Новікова", "Novikov", "Novikova"),
    ("Зайцев", "Зайцева", "Зайцев", "Зайцева", "Zaitsev", "Zaitseva"),
    ("Орлов", "Орлова", "Орлов", "Орлова", "Orlov", "Orlova"),
    ("Жуковский", "Жуковская", "Жуковський", "Жуковська", "Zhukovsky", "Zhukovskaya"),
    ("Коваленко", "Коваленко", "Коваленко", "Коваленко", "Kovalenko", "Kovalenko"),
    ("Бондаренко", "Бондаренко", "Бондаренко", "Бондаренко", "Bondarenko", "Bondarenko"),
    ("Ткаченко", "Ткаченко", "Ткаченко", "Ткаченко", "Tkachenko", "Tkachenko"),
    ("Шевчук", "Шевчук", "Шевчук", "Шевчук", "Shevchuk", "Shevchuk"),
    ("Кравец", "Кравец", "Кравець", "Кравець", "Kravets", "Kravets"),
    ("Мельник", "Мельник", "Мельник", "Мельник", "Melnyk", "Melnyk"),
    ("Гончаренко", "Гончаренко", "Гончаренко", "Гончаренко", "Honcharenko", "Honcharenko"),
    ("Савченко", "Савченко", "Савченко", "Савченко", "Savchenko", "Savchenko"),
)
FIRST_ABKHAZ = (
    ("Адгур", "Адгур", "Adgur", "m"),
    ("Астамур", "Астамур", "Astamur", "m"),
    ("Беслан", "Беслан", "Beslan", "m"),
    ("Саида", "Саїда", "Saida", "f"),
    ("Амра", "Амра", "Amra", "f"),
)
SURNAMES_ABKHAZ = (
    ("Ашуба",) * 4 + ("Ashuba",) * 2,
    ("Квициния", "Квициния", "Квіцинія", "Квіцинія", "Kvitsinia", "Kvitsinia"),
    ("Гублиа", "Гублиа", "Гублія", "Гублія", "Gublia", "Gublia"),
    ("Чичба",) * 4 + ("Chichba",) * 2,
    ("Тарба",) * 4 + ("Tarba",) * 2,
)
FIRST_WESTERN = (
    ("Джеймс", "Джеймс", "James", "m"),
    ("Оливер", "Олівер", "Oliver", "m"),
    ("Дэниел", "Деніел", "Daniel", "m"),
    ("Томас", "Томас", "Thomas", "m"),
    ("Эмили", "Емілі", "Emily", "f"),
    ("Сара", "Сара", "Sarah", "f"),
    ("Ханна", "Ганна", "Hannah", "f"),
    ("Лора", "Лора", "Laura", "f"),
)
SURNAMES_WESTERN = tuple(
    (ru, ru, uk, uk, en, en)
    for ru, uk, en in (
        ("Тёрнер", "Тернер", "Turner"),
        ("Уолш", "Волш", "Walsh"),
        ("Беннет", "Беннет", "Bennett"),
        ("Хьюз", "Г’юз", "Hughes"),
        ("Картер", "Картер", "Carter"),
        ("Фостер", "Фостер", "Foster"),
        ("Рид", "Рід", "Reid"),
        ("Паркер", "Паркер", "Parker"),
    )
)

# said-verbs: (masculine, feminine) per language
SAID = {
    "ru": (
        ("заявил", "заявила"),
        ("рассказал", "рассказала"),
        ("отметил", "отметила"),
        ("сообщил", "сообщила"),
    ),
    "uk": (
        ("заявив", "заявила"),
        ("розповів", "розповіла"),
        ("зазначив", "зазначила"),
        ("повідомив", "повідомила"),
    ),
    "en": (
        ("said", "said"),
        ("noted", "noted"),
        ("explained", "explained"),
        ("told reporters", "told reporters"),
    ),
}

ROLES = {  # category -> ((ru, uk, en), ...)
    "society": (
        (
            "представитель городской администрации",
            "представник міської адміністрації",
            "a city council spokesperson",
        ),
        (
            "руководитель местной службы спасения",
            "керівник місцевої служби порятунку",
            "head of the local rescue service",
        ),
    ),
    "economy": (
        ("аналитик инвестиционной компании", "аналітик інвестиційної компанії", "an investment analyst"),
        ("региональный министр экономики", "регіональний міністр економіки", "the regional economy minister"),
    ),
    "technology": (
        (
            "технический директор проекта",
            "технічний директор проєкту",
            "the project's chief technology officer",
        ),
        ("эксперт по цифровым сервисам", "експерт із цифрових сервісів", "a digital services expert"),
    ),
    "sports": (
        ("главный тренер команды", "головний тренер команди", "the team's head coach"),
        ("капитан команды", "капітан команди", "the team captain"),
    ),
    "entertainment": (
        (
            "художественный руководитель фестиваля",
            "художній керівник фестивалю",
            "the festival's artistic director",
        ),
        ("куратор выставки", "куратор виставки", "the exhibition curator"),
    ),
    "science": (
        (
            "руководитель исследовательской группы",
            "керівник дослідницької групи",
            "head of the research group",
        ),
        (
            "научный сотрудник института",
            "науковий співробітник інституту",
            "a research fellow at the institute",
        ),
    ),
    "other": (
        ("главный синоптик региона", "головний синоптик регіону", "the region's chief forecaster"),
        ("директор зоопарка", "директор зоопарку", "the zoo's director"),
    ),
}

# --- organisations, titles, streets ---------------------------------------------------------
BRANDS = (
    ("Орбита", "Орбіта", "Orbita"),
    ("Вектор", "Вектор", "Vektor"),
    ("Меридиан", "Меридіан", "Meridian"),
    ("Сигма", "Сигма", "Sigma"),
    ("Полярис", "Поляріс", "Polaris"),
    ("Алмаз", "Алмаз", "Almaz"),
    ("Гелиос", "Геліос", "Helios"),
    ("Кристалл", "Кристал", "Kristall"),
    ("Титан", "Титан", "Titan"),
    ("Атлас", "Атлас", "Atlas"),
    ("Квант", "Квант", "Kvant"),
    ("Ирбис", "Ірбіс", "Irbis"),
    ("Горизонт", "Горизонт", "Gorizont"),
    ("Янтарь", "Янтар", "Yantar"),
    ("Гранит", "Граніт", "Granit"),
)
# org kinds: ((ru nom, ru gen), (uk nom, uk gen), en)
ORG_KINDS = {
    "company": (("компания", "компании"), ("компанія", "компанії"), "Company"),
    "holding": (("холдинг", "холдинга"), ("холдинг", "холдингу"), "Holding"),
    "group": (("группа компаний", "группы компаний"), ("група компаній", "групи компаній"), "Group"),
    "institute": (("институт", "института"), ("інститут", "інституту"), "Institute"),
    "technopark": (("технопарк", "технопарка"), ("технопарк", "технопарку"), "Technopark"),
}
ORG_FOR = {
    "society": ("company", "group"),
    "economy": ("company", "holding", "group"),
    "technology": ("company", "technopark"),
    "sports": ("company",),
    "entertainment": ("company", "group"),
    "science": ("institute",),
    "other": ("company",),
}
WORKS = (
    ("Северное сияние", "Північне сяйво", "Northern Lights"),
    ("Тихая гавань", "Тиха гавань", "Quiet Harbour"),
    ("Город у моря", "Місто біля моря", "City by the Sea"),
    ("Время перемен", "Час змін", "Time of Change"),
    ("Белые ночи", "Білі ночі", "White Nights"),
    ("Лето в горах", "Літо в горах", "Summer in the Mountains"),
    ("Другой берег", "Інший берег", "The Other Shore"),
    ("Свет и тень", "Світло і тінь", "Light and Shadow"),
)
STREETS = (
    ("на улице Садовой", "на вулиці Садовій", "on Sadovaya Street"),
    ("на проспекте Мира", "на проспекті Миру", "on Mira Avenue"),
    ("на улице Лесной", "на вулиці Лісовій", "on Lesnaya Street"),
    ("на Набережной улице", "на Набережній вулиці", "on Naberezhnaya Street"),
    ("на улице Школьной", "на вулиці Шкільній", "on Shkolnaya Street"),
    ("на улице Строителей", "на вулиці Будівельників", "on Stroiteley Street"),
)
DAYS = {
    "ru": ("в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу", "в воскресенье"),
    "uk": ("у понеділок", "у вівторок", "у середу", "у четвер", "у п’ятницю", "у суботу", "у неділю"),
    "en": ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday"),
}
CURRENCY = {  # country -> (ru, uk, en)
    "RU": ("рублей", "рублів", "roubles"),
    "GE-AB": ("рублей", "рублів", "roubles"),
    "UA": ("гривен", "гривень", "hryvnias"),
    "BY": ("белорусских рублей", "білоруських рублів", "Belarusian roubles"),
    "US": ("долларов", "доларів", "dollars"),
    "GB": ("фунтов", "фунтів", "pounds"),
}
CURRENCY_DEFAULT = ("евро", "євро", "euros")
PEOPLE_WORDS = {"ru": ("человек", "человека", "человек"), "uk": ("людина", "людини", "людей")}

# --- outlet names -----------------------------------------------------------------------------
OUTLET_PATTERNS = {
    "ru": (
        "Вести {gen}",
        "Новости {gen}",
        "{nom} сегодня",
        "Курьер {gen}",
        "Вестник {gen}",
        "Газета «{brand}»",
        "Информагентство «{brand}»",
        "{brand}-Медиа",
        "{nom}.Инфо",
    ),
    "uk": (
        "Вісті {gen}",
        "Новини {gen}",
        "{nom} сьогодні",
        "Кур’єр {gen}",
        "Вісник {gen}",
        "Газета «{brand}»",
        "Агенція «{brand}»",
        "{brand} Медіа",
    ),
    "en": (
        "The {nom} Herald",
        "{nom} Daily",
        "{nom} Chronicle",
        "{brand} News",
        "The {brand} Post",
        "{nom} Evening Star",
        "{brand} Wire",
    ),
}

COMMENTS = {
    "ru": (
        "Наконец-то об этом заговорили открыто.",
        "А почему раньше никто ничего не делал?",
        "Спасибо редакции за подробный материал.",
        "Интересно, чем всё закончится. Будем следить.",
        "У нас в районе то же самое, и никому нет дела.",
    ),
    "uk": (
        "Нарешті про це заговорили відкрито.",
        "А чому раніше ніхто нічого не робив?",
        "Дякую редакції за докладний матеріал.",
        "Цікаво, чим усе закінчиться. Стежитимемо.",
        "У нас у районі те саме, і нікому немає діла.",
    ),
    "en": (
        "Finally someone is talking about this openly.",
        "Why did nobody do anything about it earlier?",
        "Thanks for the detailed reporting.",
        "Curious to see how this ends. Will keep watching.",
        "Same thing in our neighbourhood and nobody cares.",
    ),
}

UI = {  # page chrome words
    "ru": {
        "home": "Главная",
        "news": "Новости",
        "related": "Читайте также",
        "comments": "Комментарии",
        "cookies": "Мы используем cookie, чтобы сайт работал лучше.",
        "ok": "Понятно",
        "ad": "Реклама",
        "by": "Автор",
        "rights": "Все права защищены",
        "latest": "Последние новости",
    },
    "uk": {
        "home": "Головна",
        "news": "Новини",
        "related": "Читайте також",
        "comments": "Коментарі",
        "cookies": "Ми використовуємо cookie, щоб сайт працював краще.",
        "ok": "Зрозуміло",
        "ad": "Реклама",
        "by": "Автор",
        "rights": "Усі права захищено",
        "latest": "Останні новини",
    },
    "en": {
        "home": "Home",
        "news": "News",
        "related": "Related",
        "comments": "Comments",
        "cookies": "We use cookies to make this site work better.",
        "ok": "OK",
        "ad": "Advertisement",
        "by": "By",
        "rights": "All rights reserved",
        "latest": "Latest news",
    },
}
CATEGORY_NAMES = {
    "ru": {
        "society": "Общество",
        "economy": "Экономика",
        "technology": "Технологии",
        "sports": "Спорт",
        "entertainment": "Культура",
        "science": "Наука",
        "other": "Разное",
    },
    "uk": {
        "society": "Суспільство",
        "economy": "Економіка",
        "technology": "Технології",
        "sports": "Спорт",
        "entertainment": "Культура",
        "science": "Наука",
        "other": "Різне",
    },
    "en": {
        "society": "Society",
        "economy": "Business",
        "technology": "Technology",
        "sports": "Sport",
        "entertainment": "Culture",
        "science": "Science",
        "other": "Other",
    },
}

# --- story templates -------------------------------------------------------------------------
# TOPIC[lang][topic] = (titles, leads); CAT[lang][category] = (details, quotes)
TOPIC: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "ru": {
        "fire": (
            (
                "Пожар в многоэтажке {loc}: эвакуированы {n1p}",
                "{Loc} горел жилой дом, спасатели вывели {n1p}",
                "Крупный пожар {near}: площадь возгорания — {n3} кв. м",
            ),
            (
                "{Loc} {day} загорелся многоквартирный дом {street}. По данным спасателей, из здания эвакуировали {n1p}, площадь пожара составила {n3} кв. м.",
                "Сообщение о задымлении в жилом доме {street} {loc} поступило {day} около {hour}. Огонь удалось локализовать примерно через час, число эвакуированных жильцов — {n1}.",
            ),
        ),
        "transport": (
            (
                "{Loc} запустят новый трамвайный маршрут",
                "Власти {gen} направят {money} на ремонт дорог",
                "{Loc} изменится схема движения общественного транспорта",
            ),
            (
                "Городские власти {gen} объявили о перестройке транспортной сети. На обновление маршрутов и ремонт остановок планируется направить {money}, работы начнутся уже в этом месяце.",
                "{Loc} с понедельника меняется схема движения автобусов и трамваев. По оценке мэрии, изменения затронут {n3} пассажиров в час пик, а время в пути сократится в среднем на {pct}%.",
            ),
        ),
        "plant": (
            (
                "{Org} построит завод {near}",
                "Новое производство {loc}: инвестиции составят {money}",
                "{Loc} построят завод стоимостью {money}",
            ),
            (
                "{Org} сообщает о строительстве нового производства {near}. Объём инвестиций оценивается в {money}, запуск первой очереди запланирован на {year2} год.",
                "{Loc} начинается строительство завода, который {org} рассчитывает запустить к {year2} году. Число новых рабочих мест, по предварительным данным, превысит {n3}.",
            ),
        ),
        "prices": (
            (
                "Цены на продукты {loc} выросли на {pct}%",
                "Аналитики: жильё {loc} за год подорожало на {pct}%",
                "{Loc} подорожали коммунальные услуги",
            ),
            (
                "Стоимость базового набора продуктов {loc} за последний месяц увеличилась на {pct}%, следует из данных местного управления статистики. Сильнее всего подорожали овощи и молочная продукция.",
                "Средняя цена квадратного метра жилья {loc} выросла на {pct}% по сравнению с прошлым годом. Эксперты связывают рост с высоким спросом и удорожанием строительных материалов.",
            ),
        ),
        "app": (
            (
                "Разработчики из {gen} представили сервис для поиска попутчиков",
                "Приложение {org_gen} за неделю скачали {n3} раз",
                "{Loc} заработала городская платформа для обращений жителей",
            ),
            (
                "Команда {org_gen} из {gen} выпустила мобильное приложение, которое помогает находить попутчиков для поездок между городами. За первую неделю его скачали {n3} раз.",
                "{Loc} запущена цифровая платформа, через которую жители могут сообщать о проблемах в своём районе. По данным разработчиков, число обработанных обращений уже превысило {n3}.",
            ),
        ),
        "outage": (
            (
                "Сбой в работе {org_gen} затронул пользователей {loc}",
                "{Loc} несколько часов не работали онлайн-сервисы банков",
                "Массовый сбой связи {loc}: что известно",
            ),
            (
                "{Day} жители {gen} сообщили о перебоях в работе мобильного интернета и банковских приложений. По данным сервиса мониторинга, пик жалоб пришёлся на {hour}.",
                "Пользователи {loc} несколько часов не могли воспользоваться сервисами {org_gen}. В компании объяснили сбой неполадками оборудования в одном из дата-центров. По оценке компании, без связи остались {n3} абонентов.",
            ),
        ),
        "match": (
            (
                "Матч {team} — {team2} завершился со счётом {s1}:{s2}",
                "Футбол: {team} и {team2} сыграли {s1}:{s2}",
                "Гол на последних минутах: итоги матча {team} — {team2} {loc}",
            ),
            (
                "{Loc} {day} состоялся матч между командами {team} и {team2}. Встреча завершилась со счётом {s1}:{s2}, на трибунах собрались {n3} зрителей.",
                "Футболисты {team} и {team2} провели напряжённый матч {loc}. Итоговый счёт — {s1}:{s2}, решающий мяч был забит во втором тайме.",
            ),
        ),
        "marathon": (
            (
                "{Loc} прошёл международный марафон",
                "Марафон {loc}: на старт вышли {n3} бегунов",
                "Тысячи зрителей поддержали участников забега {loc}",
            ),
            (
                "{Loc} {day} состоялся ежегодный городской марафон. На старт вышли {n3} участников из разных регионов, дистанцию полностью преодолели больше половины бегунов.",
                "Международный забег {loc} собрал {n3} участников. Организаторы перекрыли движение в центре города на несколько часов, а финиш устроили на главной площади.",
            ),
        ),
        "festival": (
            (
                "{Loc} открылся кинофестиваль «{work}»",
                "Фестиваль «{work}» {loc} посетили {n3} зрителей",
                "Главный приз кинофестиваля {loc} получил фильм «{work}»",
            ),
            (
                "{Loc} {day} стартовал кинофестиваль «{work}». В конкурсной программе представлены работы режиссёров из нескольких стран, а число зрителей на первых показах превысило {n3}.",
                "Организаторы фестиваля «{work}» {loc} подвели итоги первого дня. Показы прошли при полных залах, а билеты на церемонию закрытия были распроданы за несколько часов. Всего за день фестиваль посетили {n3} зрителей.",
            ),
        ),
        "exhibition": (
            (
                "{Loc} открылась выставка «{work}»",
                "Выставку «{work}» {loc} продлили из-за ажиотажа",
                "Музей {gen} покажет «{work}»: что ждёт посетителей",
            ),
            (
                "{Loc} {day} открылась выставка «{work}», на которой представлены работы современных художников. Экспозиция займёт {n3} кв. м и продлится до конца месяца.",
                "Городской музей {gen} продлил работу выставки «{work}». За первые недели её посетили {n3} человек, сообщили в пресс-службе музея.",
            ),
        ),
        "discovery": (
            (
                "Учёные {gen} обнаружили бактерии, разлагающие пластик",
                "Исследователи из {gen} сообщили о прорыве в создании аккумуляторов",
                "{Near} нашли следы древнего поселения",
            ),
            (
                "Исследователи {org_gen} описали ранее неизвестный вид почвенных бактерий, способных разлагать пластик. Результаты работы опубликованы в научном журнале, эксперименты шли несколько лет. В опытах использовали {n3} образцов почвы.",
                "Археологи {near} обнаружили остатки поселения, возраст которого оценивается в {n3} лет. Среди находок — керамика, украшения и орудия труда.",
                "Учёные из {gen} создали прототип аккумулятора, ёмкость которого на {pct}% выше, чем у серийных образцов. Разработку уже заметили крупные производители.",
            ),
        ),
        "expedition": (
            (
                "Экспедиция из {gen} отправилась изучать ледники",
                "Исследователи завершили экспедицию {near}",
                "Итоги экспедиции: учёные {gen} собрали {n3} образцов",
            ),
            (
                "{Day} из {gen} стартовала научная экспедиция, участники которой займутся изучением климата и ледников. Маршрут протяжённостью {n3} километров рассчитан на несколько недель.",
                "Участники экспедиции {near} вернулись с богатым материалом: за время работы они собрали {n3} образцов пород и воды.",
            ),
        ),
        "weather": (
            (
                "{Loc} за сутки выпала месячная норма осадков",
                "Синоптики предупредили о сильном ветре {loc}",
                "Аномальная жара {loc}: побит рекорд {oldyear} года",
            ),
            (
                "{Loc} {day} за несколько часов выпала почти месячная норма осадков. Коммунальные службы откачивают воду с улиц, движение транспорта затруднено. Спасатели получили {n3} вызовов за сутки.",
                "Синоптики прогнозируют {loc} усиление ветра: порывы могут достигать {n4} м/с. Жителей просят не оставлять машины под деревьями и у рекламных щитов.",
            ),
        ),
        "zoo": (
            (
                "В зоопарке {gen} родился детёныш снежного барса",
                "Зоопарк {gen} объявил конкурс на имя для нового обитателя",
                "{Near} спасли редкую птицу",
            ),
            (
                "В зоопарке {gen} пополнение: у пары снежных барсов родился детёныш. Сотрудники рассказали, что малыш здоров и уже заметно прибавил в весе. Посмотреть на малыша за первые выходные пришли {n3} человек.",
                "Волонтёры {near} выходили редкую птицу, которую нашли со сломанным крылом. После реабилитации её планируют выпустить на волю. За её выздоровлением в соцсетях следили {n3} человек.",
            ),
        ),
    },
    "uk": {
        "fire": (
            (
                "Пожежа в багатоповерхівці {loc}: евакуювали {n1p}",
                "{Loc} горів житловий будинок, рятувальники вивели {n1p}",
                "Велика пожежа {near}: площа займання — {n3} кв. м",
            ),
            (
                "{Loc} {day} загорівся багатоквартирний будинок {street}. За даними рятувальників, з будівлі евакуювали {n1p}, площа пожежі склала {n3} кв. м.",
                "Повідомлення про задимлення в житловому будинку {street} {loc} надійшло {day} близько {hour}. Вогонь вдалося локалізувати приблизно за годину, кількість евакуйованих мешканців — {n1}.",
            ),
        ),
        "transport": (
            (
                "{Loc} запустять новий трамвайний маршрут",
                "Влада {gen} спрямує {money} на ремонт доріг",
                "{Loc} зміниться схема руху громадського транспорту",
            ),
            (
                "Міська влада {gen} оголосила про перебудову транспортної мережі. На оновлення маршрутів і ремонт зупинок планують спрямувати {money}, роботи почнуться вже цього місяця.",
                "{Loc} з понеділка змінюється схема руху автобусів і трамваїв. За оцінкою мерії, зміни торкнуться {n3} пасажирів у годину пік, а час у дорозі скоротиться в середньому на {pct}%.",
            ),
        ),
        "plant": (
            (
                "{Org} збудує завод {near}",
                "Нове виробництво {loc}: інвестиції сягнуть {money}",
                "{Loc} збудують завод вартістю {money}",
            ),
            (
                "{Org} повідомляє про будівництво нового виробництва {near}. Обсяг інвестицій оцінюють у {money}, запуск першої черги заплановано на {year2} рік.",
                "{Loc} починається будівництво заводу, який {org} розраховує запустити до {year2} року. Кількість нових робочих місць, за попередніми даними, перевищить {n3}.",
            ),
        ),
        "prices": (
            (
                "Ціни на продукти {loc} зросли на {pct}%",
                "Аналітики: житло {loc} за рік подорожчало на {pct}%",
                "{Loc} подорожчали комунальні послуги",
            ),
            (
                "Вартість базового набору продуктів {loc} за останній місяць зросла на {pct}%, свідчать дані місцевого управління статистики. Найбільше подорожчали овочі та молочна продукція.",
                "Середня ціна квадратного метра житла {loc} зросла на {pct}% порівняно з минулим роком. Експерти пов’язують зростання з високим попитом і подорожчанням будівельних матеріалів.",
            ),
        ),
        "app": (
            (
                "Розробники з {gen} представили сервіс для пошуку попутників",
                "Застосунок {org_gen} за тиждень завантажили {n3} разів",
                "{Loc} запрацювала міська платформа для звернень мешканців",
            ),
            (
                "Команда {org_gen} з {gen} випустила мобільний застосунок, який допомагає знаходити попутників для поїздок між містами. За перший тиждень його завантажили {n3} разів.",
                "{Loc} запущено цифрову платформу, через яку мешканці можуть повідомляти про проблеми у своєму районі. За даними розробників, кількість опрацьованих звернень уже перевищила {n3}.",
            ),
        ),
        "outage": (
            (
                "Збій у роботі {org_gen} зачепив користувачів {loc}",
                "{Loc} кілька годин не працювали онлайн-сервіси банків",
                "Масовий збій зв’язку {loc}: що відомо",
            ),
            (
                "{Day} мешканці {gen} повідомили про перебої в роботі мобільного інтернету та банківських застосунків. За даними сервісу моніторингу, пік скарг припав на {hour}.",
                "Користувачі {loc} кілька годин не могли скористатися сервісами {org_gen}. У компанії пояснили збій несправністю обладнання в одному з дата-центрів. За оцінкою компанії, без зв’язку залишилися {n3} абонентів.",
            ),
        ),
        "match": (
            (
                "Матч {team} — {team2} завершився з рахунком {s1}:{s2}",
                "Футбол: {team} і {team2} зіграли {s1}:{s2}",
                "Гол на останніх хвилинах: підсумки матчу {team} — {team2} {loc}",
            ),
            (
                "{Loc} {day} відбувся матч між командами {team} і {team2}. Зустріч завершилася з рахунком {s1}:{s2}, на трибунах зібралися {n3} глядачів.",
                "Футболісти {team} і {team2} провели напружений матч {loc}. Підсумковий рахунок — {s1}:{s2}, вирішальний м’яч забили в другому таймі.",
            ),
        ),
        "marathon": (
            (
                "{Loc} відбувся міжнародний марафон",
                "Марафон {loc}: на старт вийшли {n3} бігунів",
                "Тисячі глядачів підтримали учасників забігу {loc}",
            ),
            (
                "{Loc} {day} відбувся щорічний міський марафон. На старт вийшли {n3} учасників з різних регіонів, дистанцію повністю подолали понад половину бігунів.",
                "Міжнародний забіг {loc} зібрав {n3} учасників. Організатори перекрили рух у центрі міста на кілька годин, а фініш облаштували на головній площі.",
            ),
        ),
        "festival": (
            (
                "{Loc} відкрився кінофестиваль «{work}»",
                "Фестиваль «{work}» {loc} відвідали {n3} глядачів",
                "Головний приз кінофестивалю {loc} отримав фільм «{work}»",
            ),
            (
                "{Loc} {day} стартував кінофестиваль «{work}». У конкурсній програмі представлені роботи режисерів з кількох країн, а кількість глядачів на перших показах перевищила {n3}.",
                "Організатори фестивалю «{work}» {loc} підбили підсумки першого дня. Покази пройшли з аншлагом, а квитки на церемонію закриття розкупили за кілька годин. Загалом за день фестиваль відвідали {n3} глядачів.",
            ),
        ),
        "exhibition": (
            (
                "{Loc} відкрилася виставка «{work}»",
                "Виставку «{work}» {loc} продовжили через ажіотаж",
                "Музей {gen} покаже «{work}»: що чекає на відвідувачів",
            ),
            (
                "{Loc} {day} відкрилася виставка «{work}», на якій представлені роботи сучасних художників. Експозиція займе {n3} кв. м і триватиме до кінця місяця.",
                "Міський музей {gen} продовжив роботу виставки «{work}». За перші тижні її відвідали {n3} людей, повідомили в пресслужбі музею.",
            ),
        ),
        "discovery": (
            (
                "Науковці {gen} виявили бактерії, що розкладають пластик",
                "Дослідники з {gen} повідомили про прорив у створенні акумуляторів",
                "{Near} знайшли сліди давнього поселення",
            ),
            (
                "Дослідники {org_gen} описали раніше невідомий вид ґрунтових бактерій, здатних розкладати пластик. Результати роботи опубліковано в науковому журналі, експерименти тривали кілька років. В експериментах використали {n3} зразків ґрунту.",
                "Археологи {near} виявили залишки поселення, вік якого оцінюють у {n3} років. Серед знахідок — кераміка, прикраси та знаряддя праці.",
                "Науковці з {gen} створили прототип акумулятора, ємність якого на {pct}% вища, ніж у серійних зразків. Розробку вже помітили великі виробники.",
            ),
        ),
        "expedition": (
            (
                "Експедиція з {gen} вирушила досліджувати льодовики",
                "Дослідники завершили експедицію {near}",
                "Підсумки експедиції: науковці {gen} зібрали {n3} зразків",
            ),
            (
                "{Day} з {gen} стартувала наукова експедиція, учасники якої вивчатимуть клімат і льодовики. Маршрут завдовжки {n3} кілометрів розрахований на кілька тижнів.",
                "Учасники експедиції {near} повернулися з багатим матеріалом: за час роботи вони зібрали {n3} зразків порід і води.",
            ),
        ),
        "weather": (
            (
                "{Loc} за добу випала місячна норма опадів",
                "Синоптики попередили про сильний вітер {loc}",
                "Аномальна спека {loc}: побито рекорд {oldyear} року",
            ),
            (
                "{Loc} {day} за кілька годин випала майже місячна норма опадів. Комунальні служби відкачують воду з вулиць, рух транспорту ускладнений. Рятувальники отримали {n3} викликів за добу.",
                "Синоптики прогнозують {loc} посилення вітру: пориви можуть сягати {n4} м/с. Мешканців просять не залишати автомобілі під деревами та біля рекламних щитів.",
            ),
        ),
        "zoo": (
            (
                "У зоопарку {gen} народилося дитинча снігового барса",
                "Зоопарк {gen} оголосив конкурс на ім’я для нового мешканця",
                "{Near} врятували рідкісного птаха",
            ),
            (
                "У зоопарку {gen} поповнення: у пари снігових барсів народилося дитинча. Працівники розповіли, що малюк здоровий і вже помітно набрав вагу. Подивитися на малюка за перші вихідні прийшли {n3} людей.",
                "Волонтери {near} виходили рідкісного птаха, якого знайшли зі зламаним крилом. Після реабілітації його планують випустити на волю. За її одужанням у соцмережах стежили {n3} людей.",
            ),
        ),
    },
    "en": {
        "fire": (
            (
                "Apartment block fire {loc}: {n1p} evacuated",
                "Residential building burns {loc}, rescuers lead {n1p} to safety",
                "Major fire {near} covers {n3} square metres",
            ),
            (
                "A fire broke out in an apartment block {street} {loc} {day}. Rescuers said {n1p} had been evacuated and that the blaze covered {n3} square metres.",
                "Reports of smoke in a residential building {street} {loc} came in {day} at about {hour}. Firefighters contained the blaze within roughly an hour; the number of residents evacuated stands at {n1}.",
            ),
        ),
        "transport": (
            (
                "{Nom} to launch a new tram route",
                "{Nom} authorities to spend {money} on road repairs",
                "Public transport routes to change {loc}",
            ),
            (
                "City authorities {loc} have announced an overhaul of the transport network. They plan to spend {money} on new routes and refurbished stops, with work starting this month.",
                "Bus and tram routes {loc} change from Monday. City hall estimates the changes will affect {n3} passengers at rush hour and cut journey times by {pct}% on average.",
            ),
        ),
        "plant": (
            (
                "{Org} to build a plant {near}",
                "New factory {loc} to attract {money} of investment",
                "Plant worth {money} to be built {loc}",
            ),
            (
                "{Org} has announced plans for a new production site {near}. Investment is estimated at {money}, with the first phase due to open in {year2}.",
                "Construction is starting {loc} on a plant that {org} expects to open by {year2}. Preliminary figures put the number of new jobs at more than {n3}.",
            ),
        ),
        "prices": (
            (
                "Food prices {loc} up {pct}%",
                "Analysts: housing {loc} {pct}% dearer than a year ago",
                "Utility bills rise {loc}",
            ),
            (
                "The cost of a basic food basket {loc} rose by {pct}% over the past month, according to the local statistics office. Vegetables and dairy products saw the sharpest increases.",
                "The average price per square metre of housing {loc} is up {pct}% on last year. Experts blame strong demand and the rising cost of building materials.",
            ),
        ),
        "app": (
            (
                "Developers from {nom} unveil a ride-sharing service",
                "{Org} app downloaded {n3} times in a week",
                "{Nom} launches a city platform for residents' complaints",
            ),
            (
                "A team at {org} in {nom} has released a mobile app that helps people find travel companions for trips between cities. It was downloaded {n3} times in its first week.",
                "A digital platform has been launched {loc} that lets residents report problems in their neighbourhood. The developers say more than {n3} reports have already been handled.",
            ),
        ),
        "outage": (
            (
                "{Org} outage hits users {loc}",
                "Online banking down for hours {loc}",
                "Mass network outage {loc}: what we know",
            ),
            (
                "Residents {loc} reported problems with mobile internet and banking apps {day}. A monitoring service said complaints peaked at {hour}.",
                "Users {loc} were unable to use {org} services for several hours. The company blamed faulty equipment at one of its data centres. The company estimates that {n3} customers were left without service.",
            ),
        ),
        "match": (
            (
                "{team} v {team2} ends {s1}-{s2}",
                "Football: {team} and {team2} finish {s1}-{s2}",
                "Late goal decides {team} v {team2} {loc}",
            ),
            (
                "{team} and {team2} met {loc} {day}. The match ended {s1}-{s2} in front of {n3} spectators.",
                "The players of {team} and {team2} fought a tense match {loc}. The final score was {s1}-{s2}, with the decisive goal coming in the second half.",
            ),
        ),
        "marathon": (
            (
                "International marathon held {loc}",
                "{Nom} marathon draws {n3} runners",
                "Thousands cheer on runners {loc}",
            ),
            (
                "The annual city marathon took place {loc} {day}. {n3} runners from many regions started the race, and more than half completed the full distance.",
                "An international race {loc} attracted {n3} participants. Organisers closed streets in the city centre for several hours and set up the finish in the main square.",
            ),
        ),
        "festival": (
            (
                "'{work}' film festival opens {loc}",
                "{n3} people attend the '{work}' festival {loc}",
                "'{work}' wins top prize at the {nom} film festival",
            ),
            (
                "The '{work}' film festival opened {loc} {day}. The competition features films by directors from several countries, and more than {n3} people attended the first screenings.",
                "Organisers of the '{work}' festival {loc} have summed up its first day. Screenings were sold out and tickets for the closing ceremony went within hours. In total, {n3} people attended on the first day.",
            ),
        ),
        "exhibition": (
            (
                "'{work}' exhibition opens {loc}",
                "'{work}' exhibition {loc} extended after rush of visitors",
                "{Nom} museum to show '{work}': what to expect",
            ),
            (
                "The exhibition '{work}', featuring contemporary artists, opened {loc} {day}. It covers {n3} square metres and runs until the end of the month.",
                "The city museum {loc} has extended the '{work}' exhibition. {n3} people visited in its first weeks, the museum's press office said.",
            ),
        ),
        "discovery": (
            (
                "Scientists {loc} find plastic-eating bacteria",
                "Researchers from {nom} report a battery breakthrough",
                "Traces of an ancient settlement found {near}",
            ),
            (
                "Researchers at {org} have described a previously unknown species of soil bacteria able to break down plastic. The results were published in a scientific journal after several years of experiments. The experiments used {n3} soil samples.",
                "Archaeologists {near} have uncovered the remains of a settlement estimated to be {n3} years old. Finds include pottery, jewellery and tools.",
                "Scientists from {nom} have built a battery prototype with {pct}% more capacity than production models. Large manufacturers have already taken notice.",
            ),
        ),
        "expedition": (
            (
                "Expedition from {nom} sets out to study glaciers",
                "Researchers complete an expedition {near}",
                "Expedition results: scientists from {nom} collect {n3} samples",
            ),
            (
                "A scientific expedition set out from {nom} {day} to study the climate and glaciers. The {n3}-kilometre route will take several weeks.",
                "Members of the expedition {near} have returned with a wealth of material, having collected {n3} samples of rock and water.",
            ),
        ),
        "weather": (
            (
                "A month's rain falls in a day {loc}",
                "Forecasters warn of strong winds {loc}",
                "Heatwave {loc} breaks a record set in {oldyear}",
            ),
            (
                "Almost a month's worth of rain fell {loc} in a few hours {day}. Utility crews are pumping water from the streets and traffic is disrupted. Rescue services received {n3} calls in 24 hours.",
                "Forecasters expect winds to strengthen {loc}, with gusts of up to {n4} metres per second. Residents are asked not to park under trees or next to billboards.",
            ),
        ),
        "zoo": (
            (
                "Snow leopard cub born at the {nom} zoo",
                "{Nom} zoo launches a contest to name its newest resident",
                "Rare bird rescued {near}",
            ),
            (
                "The zoo {loc} has a new arrival: a pair of snow leopards has produced a cub. Keepers say the cub is healthy and already gaining weight. Over the first weekend, {n3} visitors came to see the cub.",
                "Volunteers {near} have nursed a rare bird found with a broken wing back to health. It will be released into the wild after rehabilitation. Its recovery was followed by {n3} people on social media.",
            ),
        ),
    },
}

CAT: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "ru": {
        "society": (
            (
                "На месте работают сотрудники профильных служб. Жителей близлежащих домов просят следить за официальными сообщениями и не распространять непроверенную информацию.",
                "По словам очевидцев, первые признаки проблемы заметили ещё утром. Местные жители уже создали чат, в котором координируют помощь соседям и пожилым людям.",
                "В администрации пообещали провести проверку и опубликовать её результаты до конца месяца. Депутаты городского совета намерены вынести вопрос на ближайшее заседание.",
                "Общественники отмечают, что похожие жалобы поступали и раньше. Теперь, по их мнению, у властей появится повод пересмотреть правила и выделить дополнительные средства.",
            ),
            (
                "«Ситуация под контролем, все необходимые службы задействованы», — {said} {person}, {role}.",
                "«Мы понимаем обеспокоенность людей и будем регулярно сообщать о ходе работ», — {said} {person}, {role}.",
                "Как {said} {person}, {role}, решения будут приниматься с учётом мнения жителей.",
            ),
        ),
        "economy": (
            (
                "Эксперты отмечают, что ситуация на рынке остаётся напряжённой. По их оценкам, в ближайшие месяцы динамика может сохраниться, если не изменится курс национальной валюты.",
                "Представители {org_gen} подчеркнули, что проект реализуется за счёт собственных и кредитных средств. Часть оборудования будет закуплена у местных поставщиков.",
                "Региональное министерство экономики обещает поддержать предпринимателей налоговыми льготами. Соответствующий документ уже внесён на рассмотрение депутатов.",
                "Объём рынка в прошлом году, по данным аналитиков, составил {money}. Доля малого бизнеса в нём продолжает расти.",
            ),
            (
                "«Мы видим устойчивый спрос и готовы наращивать производство», — {said} {person}, {role}.",
                "«Рост цен во многом носит сезонный характер, паниковать не стоит», — {said} {person}, {role}.",
                "{Person}, {role}, считает, что рынок ждут непростые месяцы.",
            ),
        ),
        "technology": (
            (
                "Специалисты по информационной безопасности советуют пользователям обновить приложения и не переходить по подозрительным ссылкам.",
                "По данным аналитиков, доля пользователей мобильных сервисов в регионе за год выросла на {pct}%. Разработчики рассчитывают, что новые функции привлекут ещё больше людей.",
                "Над проектом работала команда из нескольких десятков инженеров. Исходный код части решений планируют открыть для сторонних разработчиков.",
                "Эксперты напоминают, что надёжность цифровых сервисов напрямую зависит от вложений в инфраструктуру, которые в последние годы заметно сократились.",
            ),
            (
                "«Мы уже устранили основную причину неполадки и продолжаем мониторинг», — {said} {person}, {role}.",
                "«Наша цель — сделать сервис удобным для каждого жителя», — {said} {person}, {role}.",
                "{Person}, {role}, считает, что технология будет востребована и в других регионах.",
            ),
        ),
        "sports": (
            (
                "Тренерский штаб уже начал подготовку к следующему этапу сезона. В клубе рассчитывают, что к тому времени в строй вернутся несколько ключевых игроков.",
                "Организаторы отметили высокий уровень подготовки спортсменов. Медицинская служба работала на всей дистанции, серьёзных травм не зафиксировано.",
                "Билеты на следующую домашнюю игру уже поступили в продажу. Стоимость самых дешёвых мест осталась на уровне прошлого сезона.",
                "Местная федерация планирует расширить программу соревнований и пригласить участников из соседних стран.",
            ),
            (
                "«Команда показала характер, я доволен результатом», — {said} {person}, {role}.",
                "«Это был непростой день, но мы справились», — {said} {person}, {role}.",
            ),
        ),
        "entertainment": (
            (
                "Критики уже назвали программу одной из самых интересных за последние годы. Особое внимание зрителей привлекли работы молодых авторов.",
                "Часть мероприятий пройдёт под открытым небом. Вход на них будет свободным, а на остальные события билеты можно приобрести онлайн.",
                "Бюджет проекта составил {money}, значительную часть расходов взяли на себя спонсоры и городской фонд поддержки культуры.",
                "Организаторы планируют сделать событие ежегодным и в следующий раз пригласить гостей из других стран.",
            ),
            (
                "«Мы хотели показать, что большое искусство может рождаться где угодно», — {said} {person}, {role}.",
                "«Реакция публики превзошла наши ожидания», — {said} {person}, {role}.",
            ),
        ),
        "science": (
            (
                "Работа выполнена при поддержке научного фонда. Авторы рассчитывают продолжить исследования и проверить результаты на более широкой выборке.",
                "Независимые эксперты называют результаты многообещающими, но призывают дождаться повторных экспериментов других лабораторий.",
                "Часть данных будет открыта для коллег из других стран. Учёные надеются, что это ускорит появление практических применений.",
                "Финансирование проекта составило {money}. Ещё несколько лабораторий уже заявили о готовности присоединиться к работе.",
            ),
            (
                "«Это лишь первый шаг, впереди много работы», — {said} {person}, {role}.",
                "«Результаты оказались неожиданными даже для нас», — {said} {person}, {role}.",
            ),
        ),
        "other": (
            (
                "Специалисты рекомендуют жителям без необходимости не выходить из дома и следить за предупреждениями экстренных служб.",
                "Посетители смогут увидеть новых обитателей уже в ближайшие выходные. Вход для детей до семи лет остаётся бесплатным.",
                "Подобное случается нечасто: в последний раз такое наблюдали в {oldyear} году.",
                "Местные жители активно делятся фотографиями в социальных сетях, а снимки уже собрали тысячи просмотров.",
            ),
            (
                "«Такого мы не видели много лет», — {said} {person}, {role}.",
                "«Мы делаем всё, чтобы условия были максимально комфортными», — {said} {person}, {role}.",
            ),
        ),
    },
    "uk": {
        "society": (
            (
                "На місці працюють фахівці профільних служб. Мешканців сусідніх будинків просять стежити за офіційними повідомленнями й не поширювати неперевірену інформацію.",
                "За словами очевидців, перші ознаки проблеми помітили ще зранку. Місцеві мешканці вже створили чат, у якому координують допомогу сусідам і літнім людям.",
                "В адміністрації пообіцяли провести перевірку й оприлюднити її результати до кінця місяця. Депутати міської ради мають намір винести питання на найближче засідання.",
                "Громадські активісти зауважують, що подібні скарги надходили й раніше. Тепер, на їхню думку, влада матиме привід переглянути правила й виділити додаткові кошти.",
            ),
            (
                "«Ситуація під контролем, усі необхідні служби задіяні», — {said} {person}, {role}.",
                "«Ми розуміємо занепокоєння людей і регулярно повідомлятимемо про хід робіт», — {said} {person}, {role}.",
                "Як {said} {person}, {role}, рішення ухвалюватимуть з урахуванням думки мешканців.",
            ),
        ),
        "economy": (
            (
                "Експерти зазначають, що ситуація на ринку залишається напруженою. За їхніми оцінками, найближчими місяцями динаміка може зберегтися, якщо не зміниться курс національної валюти.",
                "Представники {org_gen} наголосили, що проєкт реалізують коштом власних і кредитних ресурсів. Частину обладнання закуплять у місцевих постачальників.",
                "Регіональне міністерство економіки обіцяє підтримати підприємців податковими пільгами. Відповідний документ уже внесено на розгляд депутатів.",
                "Обсяг ринку минулого року, за даними аналітиків, склав {money}. Частка малого бізнесу в ньому продовжує зростати.",
            ),
            (
                "«Ми бачимо стабільний попит і готові нарощувати виробництво», — {said} {person}, {role}.",
                "«Зростання цін значною мірою має сезонний характер, панікувати не варто», — {said} {person}, {role}.",
                "{Person}, {role}, вважає, що на ринок чекають непрості місяці.",
            ),
        ),
        "technology": (
            (
                "Фахівці з інформаційної безпеки радять користувачам оновити застосунки й не переходити за підозрілими посиланнями.",
                "За даними аналітиків, частка користувачів мобільних сервісів у регіоні за рік зросла на {pct}%. Розробники розраховують, що нові функції привернуть ще більше людей.",
                "Над проєктом працювала команда з кількох десятків інженерів. Вихідний код частини рішень планують відкрити для сторонніх розробників.",
                "Експерти нагадують, що надійність цифрових сервісів безпосередньо залежить від вкладень в інфраструктуру, які останніми роками помітно скоротилися.",
            ),
            (
                "«Ми вже усунули основну причину несправності й продовжуємо моніторинг», — {said} {person}, {role}.",
                "«Наша мета — зробити сервіс зручним для кожного мешканця», — {said} {person}, {role}.",
                "{Person}, {role}, вважає, що технологія буде затребувана і в інших регіонах.",
            ),
        ),
        "sports": (
            (
                "Тренерський штаб уже розпочав підготовку до наступного етапу сезону. У клубі розраховують, що до того часу до складу повернуться кілька ключових гравців.",
                "Організатори відзначили високий рівень підготовки спортсменів. Медична служба працювала на всій дистанції, серйозних травм не зафіксовано.",
                "Квитки на наступну домашню гру вже надійшли в продаж. Вартість найдешевших місць залишилася на рівні минулого сезону.",
                "Місцева федерація планує розширити програму змагань і запросити учасників із сусідніх країн.",
            ),
            (
                "«Команда показала характер, я задоволений результатом», — {said} {person}, {role}.",
                "«Це був непростий день, але ми впоралися», — {said} {person}, {role}.",
            ),
        ),
        "entertainment": (
            (
                "Критики вже назвали програму однією з найцікавіших за останні роки. Особливу увагу глядачів привернули роботи молодих авторів.",
                "Частина заходів відбудеться просто неба. Вхід на них буде вільним, а на решту подій квитки можна придбати онлайн.",
                "Бюджет проєкту склав {money}, значну частину витрат узяли на себе спонсори та міський фонд підтримки культури.",
                "Організатори планують зробити подію щорічною і наступного разу запросити гостей з інших країн.",
            ),
            (
                "«Ми хотіли показати, що велике мистецтво може народжуватися будь-де», — {said} {person}, {role}.",
                "«Реакція публіки перевершила наші очікування», — {said} {person}, {role}.",
            ),
        ),
        "science": (
            (
                "Роботу виконано за підтримки наукового фонду. Автори розраховують продовжити дослідження й перевірити результати на ширшій вибірці.",
                "Незалежні експерти називають результати багатообіцяльними, але закликають дочекатися повторних експериментів інших лабораторій.",
                "Частину даних відкриють для колег з інших країн. Науковці сподіваються, що це пришвидшить появу практичних застосувань.",
                "Фінансування проєкту склало {money}. Ще кілька лабораторій уже заявили про готовність долучитися до роботи.",
            ),
            (
                "«Це лише перший крок, попереду багато роботи», — {said} {person}, {role}.",
                "«Результати виявилися несподіваними навіть для нас», — {said} {person}, {role}.",
            ),
        ),
        "other": (
            (
                "Фахівці радять мешканцям без потреби не виходити з дому й стежити за попередженнями екстрених служб.",
                "Відвідувачі зможуть побачити нових мешканців уже найближчими вихідними. Вхід для дітей до семи років залишається безкоштовним.",
                "Таке трапляється нечасто: востаннє подібне спостерігали в {oldyear} році.",
                "Місцеві мешканці активно діляться фотографіями в соціальних мережах, а знімки вже зібрали тисячі переглядів.",
            ),
            (
                "«Такого ми не бачили багато років», — {said} {person}, {role}.",
                "«Ми робимо все, щоб умови були максимально комфортними», — {said} {person}, {role}.",
            ),
        ),
    },
    "en": {
        "society": (
            (
                "Emergency services are working at the scene. Residents of nearby buildings are asked to follow official updates and not to spread unverified information.",
                "Witnesses say the first signs of trouble were noticed in the morning. Local residents have already set up a group chat to coordinate help for neighbours and elderly people.",
                "The local administration has promised an inquiry and says it will publish the results by the end of the month. City councillors plan to raise the issue at their next session.",
                "Community activists point out that similar complaints had been made before. In their view, the authorities now have a reason to review the rules and allocate extra funding.",
            ),
            (
                '"The situation is under control and all the necessary services are involved," {said} {person}, {role}.',
                '"We understand people\'s concerns and will keep them informed about the work," {said} {person}, {role}.',
                "According to {person}, {role}, decisions will take residents' views into account.",
            ),
        ),
        "economy": (
            (
                "Experts say the market remains tense. In their view, the trend may continue over the coming months unless the exchange rate changes.",
                "Representatives of {org} stressed that the project is funded from the company's own resources and bank loans. Some of the equipment will be bought from local suppliers.",
                "The regional economy ministry promises to support entrepreneurs with tax breaks. A draft has already been submitted to lawmakers.",
                "Analysts estimate that the market was worth {money} last year. The share of small businesses in it keeps growing.",
            ),
            (
                '"We see steady demand and are ready to increase production," {said} {person}, {role}.',
                '"Price rises are largely seasonal, there is no reason to panic," {said} {person}, {role}.',
                "{Person}, {role}, believes the market faces difficult months ahead.",
            ),
        ),
        "technology": (
            (
                "Security specialists advise users to update their apps and not to follow suspicious links.",
                "Analysts say the share of mobile service users in the region grew by {pct}% over the year. The developers expect the new features to attract even more people.",
                "A team of several dozen engineers worked on the project. Part of the source code is to be opened to outside developers.",
                "Experts point out that the reliability of digital services depends directly on investment in infrastructure, which has fallen noticeably in recent years.",
            ),
            (
                '"We have already fixed the main cause of the fault and continue monitoring," {said} {person}, {role}.',
                '"Our goal is to make the service convenient for every resident," {said} {person}, {role}.',
                "{Person}, {role}, believes the technology will be in demand in other regions too.",
            ),
        ),
        "sports": (
            (
                "The coaching staff have already started preparing for the next stage of the season. The club hopes several key players will be back by then.",
                "Organisers praised the athletes' level of preparation. Medical teams were stationed along the whole route and no serious injuries were reported.",
                "Tickets for the next home game are already on sale. The cheapest seats cost the same as last season.",
                "The local federation plans to expand its competition programme and invite athletes from neighbouring countries.",
            ),
            (
                '"The team showed character, I am pleased with the result," {said} {person}, {role}.',
                '"It was a difficult day, but we managed," {said} {person}, {role}.',
            ),
        ),
        "entertainment": (
            (
                "Critics have already called the programme one of the most interesting in years. Works by young artists drew particular attention.",
                "Some events will take place outdoors. Entry to them is free, and tickets for the rest can be bought online.",
                "The project's budget was {money}; sponsors and the city's culture fund covered a large share of the costs.",
                "The organisers plan to make the event annual and to invite guests from other countries next time.",
            ),
            (
                '"We wanted to show that great art can be born anywhere," {said} {person}, {role}.',
                '"The audience\'s response exceeded our expectations," {said} {person}, {role}.',
            ),
        ),
        "science": (
            (
                "The work was supported by a science foundation. The authors intend to continue their research and test the results on a larger sample.",
                "Independent experts call the results promising but urge waiting for other laboratories to repeat the experiments.",
                "Part of the data will be shared with colleagues abroad. The scientists hope this will speed up practical applications.",
                "The project received {money} in funding. Several more laboratories have already said they are ready to join the work.",
            ),
            (
                '"This is only the first step, there is a lot of work ahead," {said} {person}, {role}.',
                '"The results were unexpected even for us," {said} {person}, {role}.',
            ),
        ),
        "other": (
            (
                "Specialists advise residents not to leave home unless necessary and to follow warnings from the emergency services.",
                "Visitors will be able to see the new residents as early as this weekend. Entry for children under seven remains free.",
                "Such events are rare: the last time anything similar was observed was in {oldyear}.",
                "Local residents are sharing photos on social media, and the pictures have already gathered thousands of views.",
            ),
            (
                '"We have not seen anything like this in years," {said} {person}, {role}.',
                '"We are doing everything to make conditions as comfortable as possible," {said} {person}, {role}.',
            ),
        ),
    },
}

GENERIC: dict[str, dict[str, tuple[str, ...]]] = {
    "ru": {
        "background": (
            "Напомним, в прошлом году {loc} уже обсуждали похожую инициативу, однако тогда до её реализации дело так и не дошло.",
            "Тема вызвала широкий резонанс в социальных сетях: пользователи активно обсуждают случившееся и делятся собственным опытом.",
            "Местные власти обещают подробно рассказать о дальнейших шагах на ближайшей пресс-конференции. Журналистов пригласили задать вопросы напрямую.",
            "Аналогичные события в регионе происходят несколько раз в год, однако нынешний случай, по мнению специалистов, выделяется своим масштабом.",
            "Жители {gen} неоднократно обращались к властям с просьбой обратить внимание на проблему. Ответы, по их словам, чаще всего были формальными.",
            "Эксперты, опрошенные редакцией, сходятся во мнении, что последствия станут понятны не раньше чем через несколько недель.",
        ),
        "closing": (
            "Редакция продолжит следить за развитием событий.",
            "Подробности уточняются.",
            "Если вы стали очевидцем событий, напишите нам.",
        ),
        "context": (
            "Похожая ситуация недавно складывалась {loc2}, где власти приняли ряд дополнительных мер.",
            "Эксперты сравнивают происходящее с событиями {loc2}, которые привлекли внимание в прошлом месяце.",
        ),
        "update_title": ("Новые подробности: {title}", "{title} (обновлено)"),
        "update_lead": (
            "По уточнённым данным на {hour}, ситуация продолжает развиваться. Официальные лица готовят новое заявление, а число затронутых, по последним сведениям, — {n1}.",
        ),
    },
    "uk": {
        "background": (
            "Нагадаємо, минулого року {loc} вже обговорювали подібну ініціативу, проте тоді до її втілення справа так і не дійшла.",
            "Тема викликала широкий резонанс у соціальних мережах: користувачі активно обговорюють подію й діляться власним досвідом.",
            "Місцева влада обіцяє докладно розповісти про подальші кроки на найближчій пресконференції. Журналістів запросили поставити запитання безпосередньо.",
            "Подібні події в регіоні трапляються кілька разів на рік, однак нинішній випадок, на думку фахівців, вирізняється своїм масштабом.",
            "Мешканці {gen} неодноразово зверталися до влади з проханням звернути увагу на проблему. Відповіді, за їхніми словами, здебільшого були формальними.",
            "Експерти, опитані редакцією, погоджуються, що наслідки стануть зрозумілими не раніше ніж за кілька тижнів.",
        ),
        "closing": (
            "Редакція стежитиме за розвитком подій.",
            "Подробиці уточнюються.",
            "Якщо ви стали свідком подій, напишіть нам.",
        ),
        "context": (
            "Подібна ситуація нещодавно складалася {loc2}, де влада ухвалила низку додаткових заходів.",
            "Експерти порівнюють те, що відбувається, з подіями {loc2}, які привернули увагу минулого місяця.",
        ),
        "update_title": ("Нові подробиці: {title}", "{title} (оновлено)"),
        "update_lead": (
            "За уточненими даними на {hour}, ситуація продовжує розвиватися. Посадовці готують нову заяву, а кількість постраждалих, за останніми відомостями, — {n1}.",
        ),
    },
    "en": {
        "background": (
            "A similar initiative was discussed {loc} last year, but it was never put into practice. Officials at the time cited a lack of funding.",
            "The subject has caused a stir on social media, where users are discussing what happened and sharing their own experiences. Some have called for a public meeting.",
            "Local authorities have promised to explain their next steps in detail at an upcoming press conference. Reporters have been invited to put their questions directly.",
            "Similar events happen in the region several times a year, but specialists say this one stands out for its scale. They expect a detailed review to follow.",
            "Residents of {nom} have repeatedly asked the authorities to address the problem. The replies, they say, were mostly formal, and little changed on the ground.",
            "Experts interviewed by our newsroom agree that the consequences will not be clear for several weeks. They advise against drawing conclusions too early.",
        ),
        "closing": (
            "We will keep following the story.",
            "Details are being clarified.",
            "If you witnessed the events, please get in touch with our newsroom.",
        ),
        "context": (
            "A similar situation recently developed {loc2}, where the authorities introduced a number of additional measures.",
            "Experts compare what is happening with events {loc2} that drew attention last month.",
        ),
        "update_title": ("Update: {title}", "{title} (updated)"),
        "update_lead": (
            "According to updated information as of {hour}, the situation is still developing. Officials are preparing a new statement, and the latest count of those affected stands at {n1}.",
        ),
    },
}

# Which lead goes with which headlines: topic -> ((lead index, headline indexes), ...). The
# story's facts pick one angle, so every outlet tells the same happening.
ANGLES: dict[str, tuple[tuple[int, tuple[int, ...]], ...]] = {
    "fire": ((0, (0, 1, 2)), (1, (0, 1, 2))),
    "transport": ((0, (0, 1)), (1, (0, 2))),
    "plant": ((0, (0, 1, 2)), (1, (0, 1, 2))),
    "prices": ((0, (0,)), (1, (1,))),
    "app": ((0, (0, 1)), (1, (2,))),
    "outage": ((0, (1, 2)), (1, (0, 2))),
    "match": ((0, (0, 1, 2)), (1, (0, 1, 2))),
    "marathon": ((0, (0, 1, 2)), (1, (0, 1, 2))),
    "festival": ((0, (0, 1)), (1, (1,))),
    "exhibition": ((0, (0, 2)), (1, (1,))),
    "discovery": ((0, (0,)), (1, (2,)), (2, (1,))),
    "expedition": ((0, (0,)), (1, (1, 2))),
    "weather": ((0, (0,)), (1, (1,))),
    "zoo": ((0, (0, 1)), (1, (2,))),
}
TITLE_SUFFIXES = {
    "ru": (" — подробности", " — фото", " — видео"),
    "uk": (" — подробиці", " — фото", " — відео"),
    "en": (" — in pictures", " — video", " — latest"),
}
