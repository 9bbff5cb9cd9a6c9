"""Hand-written names of the regions the issue asks for (Russia, Ukraine, Belarus, Abkhazia),
Russian names of US states, and extra country aliases.

countrystatecity-countries gives every region's ISO 3166-2 code and English name, but its
"native" field for Russian regions is the bare capital ("Новосибирск"), so the proper names
("Новосибирская область", "Краснодарский край"), Ukrainian and Belarusian ones are written here.
Rows: ISO 3166-2 suffix | English | Russian | other names, ";"-separated (any language).
Federal/capital cities (Moscow, Saint Petersburg, Kyiv, Sevastopol, Minsk city) are left out:
their names belong to the city.
"""

from __future__ import annotations

_RU = """
AD|Adygea|Республика Адыгея|Адыгея;Адыгея Республика
AL|Altai Republic|Республика Алтай|Горный Алтай;Республика Алтай
ALT|Altai Krai|Алтайский край|Алтайский край
AMU|Amur Oblast|Амурская область|Приамурье
ARK|Arkhangelsk Oblast|Архангельская область|Архангельская обл
AST|Astrakhan Oblast|Астраханская область|
BA|Bashkortostan|Республика Башкортостан|Башкортостан;Башкирия;Bashkiria
BEL|Belgorod Oblast|Белгородская область|Белгородчина
BRY|Bryansk Oblast|Брянская область|Брянщина
BU|Buryatia|Республика Бурятия|Бурятия
CE|Chechnya|Чеченская Республика|Чечня;Чечня Республика;Chechen Republic
CHE|Chelyabinsk Oblast|Челябинская область|
CHU|Chukotka|Чукотский автономный округ|Чукотка
CU|Chuvashia|Чувашская Республика|Чувашия
DA|Dagestan|Республика Дагестан|Дагестан
IN|Ingushetia|Республика Ингушетия|Ингушетия
IRK|Irkutsk Oblast|Иркутская область|Приангарье
IVA|Ivanovo Oblast|Ивановская область|
YEV|Jewish Autonomous Oblast|Еврейская автономная область|ЕАО
KB|Kabardino-Balkaria|Кабардино-Балкарская Республика|Кабардино-Балкария
KGD|Kaliningrad Oblast|Калининградская область|
KL|Kalmykia|Республика Калмыкия|Калмыкия
KLU|Kaluga Oblast|Калужская область|
KAM|Kamchatka Krai|Камчатский край|Камчатка
KC|Karachay-Cherkessia|Карачаево-Черкесская Республика|Карачаево-Черкесия
KR|Karelia|Республика Карелия|Карелия
KEM|Kemerovo Oblast|Кемеровская область|Кузбасс;Kuzbass
KHA|Khabarovsk Krai|Хабаровский край|
KK|Khakassia|Республика Хакасия|Хакасия
KHM|Khanty-Mansi Autonomous Okrug|Ханты-Мансийский автономный округ|Югра;ХМАО;Yugra
KIR|Kirov Oblast|Кировская область|
KO|Komi Republic|Республика Коми|
KOS|Kostroma Oblast|Костромская область|
KDA|Krasnodar Krai|Краснодарский край|Кубань;Kuban
KYA|Krasnoyarsk Krai|Красноярский край|
KGN|Kurgan Oblast|Курганская область|Зауралье
KRS|Kursk Oblast|Курская область|Курщина
LEN|Leningrad Oblast|Ленинградская область|Ленобласть
LIP|Lipetsk Oblast|Липецкая область|
MAG|Magadan Oblast|Магаданская область|
ME|Mari El|Республика Марий Эл|Марий Эл
MO|Mordovia|Республика Мордовия|Мордовия
MOS|Moscow Oblast|Московская область|Подмосковье
MUR|Murmansk Oblast|Мурманская область|
NEN|Nenets Autonomous Okrug|Ненецкий автономный округ|НАО
NIZ|Nizhny Novgorod Oblast|Нижегородская область|
SE|North Ossetia–Alania|Республика Северная Осетия — Алания|Северная Осетия;North Ossetia
NGR|Novgorod Oblast|Новгородская область|
NVS|Novosibirsk Oblast|Новосибирская область|
OMS|Omsk Oblast|Омская область|
ORE|Orenburg Oblast|Оренбургская область|Оренбуржье
ORL|Oryol Oblast|Орловская область|Орловщина
PNZ|Penza Oblast|Пензенская область|
PER|Perm Krai|Пермский край|Прикамье
PRI|Primorsky Krai|Приморский край|Приморье;Primorye
PSK|Pskov Oblast|Псковская область|Псковщина
ROS|Rostov Oblast|Ростовская область|
RYA|Ryazan Oblast|Рязанская область|Рязанщина
SA|Sakha Republic|Республика Саха (Якутия)|Якутия;Yakutia;Республика Саха
SAK|Sakhalin Oblast|Сахалинская область|Сахалин;Sakhalin
SAM|Samara Oblast|Самарская область|
SAR|Saratov Oblast|Саратовская область|
SMO|Smolensk Oblast|Смоленская область|Смоленщина
STA|Stavropol Krai|Ставропольский край|Ставрополье
SVE|Sverdlovsk Oblast|Свердловская область|
TAM|Tambov Oblast|Тамбовская область|Тамбовщина
TA|Tatarstan|Республика Татарстан|Татарстан;Татария
TOM|Tomsk Oblast|Томская область|
TUL|Tula Oblast|Тульская область|
TY|Tuva|Республика Тыва|Тыва;Тува
TVE|Tver Oblast|Тверская область|
TYU|Tyumen Oblast|Тюменская область|
UD|Udmurtia|Удмуртская Республика|Удмуртия
ULY|Ulyanovsk Oblast|Ульяновская область|
VLA|Vladimir Oblast|Владимирская область|
VGG|Volgograd Oblast|Волгоградская область|
VLG|Vologda Oblast|Вологодская область|Вологодчина
VOR|Voronezh Oblast|Воронежская область|
YAN|Yamalo-Nenets Autonomous Okrug|Ямало-Ненецкий автономный округ|ЯНАО;Ямал;Yamal
YAR|Yaroslavl Oblast|Ярославская область|
ZAB|Zabaykalsky Krai|Забайкальский край|Забайкалье
"""

_UA = """
43|Crimea|Республика Крым|Крым;Автономна Республіка Крим;Крим;Crimea
71|Cherkasy Oblast|Черкасская область|Черкаська область;Черкащина
74|Chernihiv Oblast|Черниговская область|Чернігівська область;Чернігівщина
77|Chernivtsi Oblast|Черновицкая область|Чернівецька область;Буковина
12|Dnipropetrovsk Oblast|Днепропетровская область|Дніпропетровська область;Дніпропетровщина
14|Donetsk Oblast|Донецкая область|Донецька область;Донеччина;Донбасс;Донбас;Donbas
26|Ivano-Frankivsk Oblast|Ивано-Франковская область|Івано-Франківська область;Прикарпаття
63|Kharkiv Oblast|Харьковская область|Харківська область;Харківщина
65|Kherson Oblast|Херсонская область|Херсонська область;Херсонщина
68|Khmelnytskyi Oblast|Хмельницкая область|Хмельницька область;Хмельниччина
35|Kirovohrad Oblast|Кировоградская область|Кіровоградська область;Кіровоградщина
32|Kyiv Oblast|Киевская область|Київська область;Київщина
09|Luhansk Oblast|Луганская область|Луганська область;Луганщина
46|Lviv Oblast|Львовская область|Львівська область;Львівщина
48|Mykolaiv Oblast|Николаевская область|Миколаївська область;Миколаївщина
51|Odesa Oblast|Одесская область|Одеська область;Одещина
53|Poltava Oblast|Полтавская область|Полтавська область;Полтавщина
56|Rivne Oblast|Ровенская область|Рівненська область;Рівненщина
59|Sumy Oblast|Сумская область|Сумська область;Сумщина
61|Ternopil Oblast|Тернопольская область|Тернопільська область;Тернопільщина
05|Vinnytsia Oblast|Винницкая область|Вінницька область;Вінниччина
07|Volyn Oblast|Волынская область|Волинська область;Волинь;Волынь
21|Zakarpattia Oblast|Закарпатская область|Закарпатська область;Закарпаття;Закарпатье
23|Zaporizhzhia Oblast|Запорожская область|Запорізька область;Запоріжжя область
18|Zhytomyr Oblast|Житомирская область|Житомирська область;Житомирщина
"""

_BY = """
BR|Brest Region|Брестская область|Брэсцкая вобласць;Берестейщина;Брестчина;Brest Oblast
HO|Gomel Region|Гомельская область|Гомельская вобласць;Гомельщина;Гомельська область;Homiel Region;Gomel Oblast
HR|Grodno Region|Гродненская область|Гродзенская вобласць;Гродненщина;Гродненська область;Grodno Oblast
MI|Minsk Region|Минская область|Мінская вобласць;Минщина;Мінська область;Minsk Oblast
MA|Mogilev Region|Могилёвская область|Магілёўская вобласць;Могилевщина;Могильовська область;Mogilev Oblast
VI|Vitebsk Region|Витебская область|Віцебская вобласць;Витебщина;Вітебська область;Vitebsk Oblast
"""

_GE = """
AB|Abkhazia|Абхазия|Абхазія;Республика Абхазия;Аҧсны;Apsny
AJ|Adjara|Аджария|Аджарія;Ajaria
"""

REGIONS: dict[str, str] = {"RU": _RU, "UA": _UA, "BY": _BY, "GE": _GE}

# Ukrainian names of Russian regions are regular enough to derive: only the ones that
# Ukrainian news name most often are listed, for uk texts.
UK_RU_REGIONS = {
    "KDA": "Краснодарський край",
    "BEL": "Бєлгородська область",
    "KRS": "Курська область",
    "BRY": "Брянська область",
    "ROS": "Ростовська область",
    "VOR": "Воронезька область",
    "MOS": "Московська область",
    "LEN": "Ленінградська область",
    "SVE": "Свердловська область",
    "NVS": "Новосибірська область",
    "TA": "Татарстан",
    "CE": "Чечня",
    "DA": "Дагестан",
}

US_STATES_RU = {
    "AL": "Алабама", "AK": "Аляска", "AZ": "Аризона", "AR": "Арканзас", "CA": "Калифорния",
    "CO": "Колорадо", "CT": "Коннектикут", "DE": "Делавэр", "FL": "Флорида", "GA": "Джорджия",
    "HI": "Гавайи", "ID": "Айдахо", "IL": "Иллинойс", "IN": "Индиана", "IA": "Айова",
    "KS": "Канзас", "KY": "Кентукки", "LA": "Луизиана", "ME": "Мэн", "MD": "Мэриленд",
    "MA": "Массачусетс", "MI": "Мичиган", "MN": "Миннесота", "MS": "Миссисипи", "MO": "Миссури",
    "MT": "Монтана", "NE": "Небраска", "NV": "Невада", "NH": "Нью-Гэмпшир", "NJ": "Нью-Джерси",
    "NM": "Нью-Мексико", "NY": "штат Нью-Йорк", "NC": "Северная Каролина", "ND": "Северная Дакота",
    "OH": "Огайо", "OK": "Оклахома", "OR": "Орегон", "PA": "Пенсильвания", "RI": "Род-Айленд",
    "SC": "Южная Каролина", "SD": "Южная Дакота", "TN": "Теннесси", "TX": "Техас", "UT": "Юта",
    "VT": "Вермонт", "VA": "Виргиния", "WA": "штат Вашингтон", "WV": "Западная Виргиния",
    "WI": "Висконсин", "WY": "Вайоминг",
}  # fmt: skip

US_STATES_UK = {"TX": "Техас", "CA": "Каліфорнія", "FL": "Флорида", "AK": "Аляска", "HI": "Гаваї"}

# Extra names of countries, by ISO2 (the packages give the official en/ru/uk ones).
COUNTRY_ALIASES = {
    "RU": "РФ;Российская Федерация;Russian Federation;Росія;Расія",
    "US": "США;Соединённые Штаты;Соединенные Штаты Америки;USA;U.S.;US;United States of America;Америка;Штати;Сполучені Штати",
    "GB": "Великобритания;Британия;Britain;Great Britain;UK;U.K.;Велика Британія;Британія;Англия",
    "BY": "Белоруссия;Республика Беларусь;Беларусь;Білорусь;Belarus;Беларусі",
    "UA": "Украина;Україна;Украіна",
    "MD": "Молдавия;Молдова",
    "KG": "Киргизия;Кыргызстан",
    "AE": "ОАЭ;UAE;Эмираты",
    "CN": "КНР;Китай",
    "DE": "ФРГ;Германия",
    "KP": "КНДР;Северная Корея;North Korea",
    "KR": "Южная Корея;South Korea",
    "CZ": "Чехия;Czechia;Czech Republic",
    "NL": "Нидерланды;Голландия;Holland",
    "TR": "Турция;Türkiye;Turkiye",
    "MM": "Мьянма;Burma",
    "CI": "Кот-д’Ивуар;Ivory Coast",
    "VA": "Ватикан;Vatican",
}

# Names of cities that GeoNames' alternates lack (by geonameid): the Russian names of towns of
# Abkhazia, and common English spellings.
CITY_ALIASES = {
    611847: "Сухум;Сухуми;Сухумі;Sukhumi;Sukhum;Аҟәа",
    615460: "Пицунда;Піцунда;Pitsunda",
    612652: "Очамчыра;Очамчира;Очамчіра;Ochamchira",
    611583: "Ткуарчал;Ткварчели;Tkvarcheli;Tkuarchal",
    614409: "Гудаута;Gudauta",
    614613: "Гал;Гали;Gali",
    615912: "Новый Афон;Новий Афон;New Athos;Novy Afon",
    627907: "Гомель;Гомеля;Gomel;Homel",
    625665: "Могилёв;Могилев;Магілёў;Могильов;Mogilev;Mahilyow",
    620127: "Витебск;Віцебск;Вітебськ;Vitebsk",
    627904: "Гродно;Гродна;Grodno;Hrodna",
    629634: "Брест;Брэст;Brest",
    # A festival named after its city, and Polish case forms of Poland's largest cities ("w
    # Krakowie", "z Warszawy").
    2950159: "Berlinale;Берлинале;Берлінале",
    3094802: "Krakowie;Krakowa;Krakowem",
    756135: "Warszawie;Warszawy;Warszawą",
    3081368: "Wrocławiu;Wrocławia;Wrocławiem",
    3099434: "Gdańsku;Gdańska;Gdańskiem",
    3088171: "Poznaniu;Poznania;Poznaniem",
    3093133: "Łodzi",
}

# English names of cities as English-language news and reference works spell them, where GeoNames'
# main name is another romanisation ("Homyel'", "Mahilyow", "Nizhniy Novgorod", "Zaporizhzhya").
# The GeoNames name stays a matchable alias; this one is shown and makes the slug.
CITY_EN = {
    627907: "Gomel",
    627904: "Grodno",
    625665: "Mogilev",
    630468: "Babruysk",
    618800: "Zhodzina",
    625625: "Maladzyechna",
    520555: "Nizhny Novgorod",
    500096: "Ryazan",
    515012: "Oryol",
    523750: "Naberezhnye Chelny",
    581049: "Arkhangelsk",
    1494114: "Prokopyevsk",
    1504826: "Kamensk-Uralsky",
    582432: "Almetyevsk",
    563523: "Elektrostal",
    487928: "Stary Oskol",
    519336: "Veliky Novgorod",
    687700: "Zaporizhzhia",
    703845: "Kryvyi Rih",
    700569: "Mykolaiv",
    689558: "Vinnytsia",
    702320: "Makiivka",
    709932: "Kamianske",
    688105: "Yevpatoria",
    693468: "Sloviansk",
    707308: "Izmail",
    709161: "Feodosia",
    705104: "Kostiantynivka",
    707688: "Chornomorsk",
    688148: "Yenakiieve",
    706950: "Kamianets-Podilskyi",
    611847: "Sukhumi",
    615912: "New Athos",
    611583: "Tkvarcheli",
    612652: "Ochamchire",
}

# English, Russian and Ukrainian names of other countries' first-level regions that news name
# often, keyed by (ISO2, GeoNames admin1 code). countrystatecity gives these only a native name,
# or cannot be linked to them (its cities sit in départements, provinces and counties).
WORLD_REGION_ALIASES = {
    ("FR", "53"): "Brittany;Бретань;Бретань;Bretagne",
    ("FR", "28"): "Normandy;Нормандия;Нормандія;Normandie",
    ("FR", "94"): "Corsica;Корсика;Корсика;Corse",
    ("FR", "11"): "Île-de-France;Иль-де-Франс;Іль-де-Франс",
    ("DE", "02"): "Bavaria;Бавария;Баварія;Bayern",
    ("ES", "56"): "Catalonia;Каталония;Каталонія;Catalunya",
    ("ES", "51"): "Andalusia;Андалусия;Андалусія;Andalucía",
    ("IT", "09"): "Lombardy;Ломбардия;Ломбардія;Lombardia",
    ("IT", "15"): "Sicily;Сицилия;Сицилія;Sicilia",
    ("GB", "SCT"): "Scotland;Шотландия;Шотландія",
    ("GB", "WLS"): "Wales;Уэльс;Уельс",
    ("GB", "NIR"): "Northern Ireland;Северная Ирландия;Північна Ірландія",
}


# Russian and Ukrainian country names where countrystatecity-countries gives a transliteration,
# an official long form or a stray mark ("Джордан", "Воссоединение" for Réunion, "Макао С.А.Р.",
# "Чад."): the names Russian and Ukrainian news use. The listed names are shown and matched; the
# package's own stay matchable.
COUNTRY_NAMES: dict[str, tuple[str, str]] = {
    "JO": ("Иордания", "Йорданія"),
    "RE": ("Реюньон", "Реюньйон"),
    "PS": ("Палестина", "Палестина"),
    "VA": ("Ватикан", "Ватикан"),
    "MO": ("Макао", "Макао"),
    "HK": ("Гонконг", "Гонконг"),
    "TD": ("Чад", "Чад"),
    "GM": ("Гамбия", "Гамбія"),
    "GG": ("Гернси", "Гернсі"),
    "CI": ("Кот-д’Ивуар", "Кот-д’Івуар"),
    "IM": ("Остров Мэн", "Острів Мен"),
    "FJ": ("Фиджи", "Фіджі"),
    "CZ": ("Чехия", "Чехія"),
    "CC": ("Кокосовые острова", "Кокосові острови"),
    "ZA": ("ЮАР", "ПАР"),
    "US": ("США", "США"),
    "PG": ("Папуа — Новая Гвинея", "Папуа Нова Гвінея"),
}

