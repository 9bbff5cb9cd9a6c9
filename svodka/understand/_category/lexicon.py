"""Hand-written cue words per category (ru, uk, be, en), written for svodka, not taken from any corpus.

Format: whitespace-separated entries. ``word*`` matches every word starting with ``word``
(the longest matching entry wins), a bare ``word`` matches only that exact word, and a
trailing ``!`` doubles the weight (the entry is strong evidence on its own). Text is
lower-cased and ``ё`` becomes ``е`` before matching.

Prefixes are chosen long enough to avoid common unrelated words (``суд*`` would also hit
``судьба``, so the court entries spell out ``суда``/``судом``/``судь*`` ...).
"""

from __future__ import annotations

LEXICON: dict[str, str] = {
    "society": """
        президент* министр* министерств* правительств* парламент* депутат* госдум* дума думы
        сенатор* сенат* губернатор* мэр мэра мэру мэром мэрии мэрия выбор* голосовани* избират*
        партии партия партий оппозиц* санкци* дипломат* посол посла послом посольств* переговор*
        кремл* госдеп* нато оон евросоюз* саммит* законопроект* закон закона законы
        законом поправк* референдум* митинг* протест* протестующ* полици* полицейск* мвд фсб
        следствен* следовател* прокурор* прокуратур* суд суда суде судом суды судов судья судьи судью судьей судей судьям приговор*
        арест* задержа* обвинени* обвиня* уголовн* преступ* убий* убил* убит* застрел* нападени* напал*
        грабител* ограб* мошенни* краж* похищ* теракт* террор* взрыв* стрельб* выстрел* погиб* гибел*
        пострада* ранен* жертв* дтп авари* катастроф* крушени* пожар* пожарн* спасател* мчс эвакуац*
        наводнени* землетрясени* ураган* шторм* оползн* войн* военн* армии армия армей* войск* солдат*
        ракет* обстрел* беспилотник* бпла минобороны генштаб* спецоперац* наступлени* боев* боевик*
        мигрант* беженц* границ* пограничн* заключенн* колони* тюрьм* сизо пенси* школ* учител*
        больниц* чиновник* коррупц* взятк* чп жител* горожан* омбудсмен* правозащит* активист*
        администрац* сбу зеленск* путин* байден* трамп* лукашенк* шойгу* лавров* песков* макрон*
        эрдоган* шольц* меркель* генпрокурор* росгварди* мид всу донбасс* днр лнр херсон* крым*
        мобилизац* призыв* ветеран* депортац* гражданств* виз визы визу полицейский! убийств*!
        житель* власт* власти! конфликт* перемири* эскалац* блокад* забастовк* бунт* беспоряд*
        прем'єр* міністр* уряд* верховн* вибор* поліці* суду суді вбив* загин* вибух* обстріл*
        війн* військ* зброй* нападу затрим* злочин* шахра* пожеж* рятувальн* аварі* прикордон*
        голосуванн* президэнт* урад* міліцы*
        паводк* выратавальн* эвакуяв* эвакуацы* пажар* затрыма* злачын* загінул* пацярпел*
        паліклінік* бальніц*
        аварыі аварыя вайск* выбар* дэпутат* прэзідэнт* мытн* кантрабанд*
        president* minister* ministry* government* parliament* senat* congress* congressman* lawmaker*
        legislat* election* vote* voter* voting ballot* campaign* party parties opposition*
        sanction* diplomat* ambassador* embass* summit* treaty* kremlin nato un eu referendum*
        protest* rally rallies demonstrat* police policem* officer* arrest* detain* charg* indict*
        prosecut* court* judge* jury juror* trial* verdict* sentenc* convict* prison* jail* inmate*
        crime* criminal* murder* kill* killing* shot shooting* gunman gunmen stab* attack* terror*
        bomb* blast* explosion* dead death* died die dies victim* injur* wound* crash* accident*
        collision* fire firefighter* blaze* rescue* evacuat* flood* earthquake* hurricane* storm*
        typhoon* landslide* wildfire* war wars military* army troop* soldier* missile* airstrike*
        drone* shelling* ceasefire* refugee* migrant* immigra* border* asylum* deport* mayor*
        governor* official* corrupt* brib* lawsuit* sued suing supreme impeach* republican* democrat*
        trump* biden* putin* zelensk* modi* erdogan* macron* johnson* boris brexit* senator*!
        hostage* kidnap* abduct* missing robber* theft* thief thieves fraud* smuggl* suspect*
        investigat* fbi cia pentagon* homeland citizen* resident* riot* clash* unrest* coup* regime*
        insurgent* militant* taliban* isis hamas hezbollah authorit* policy policies tribunal*
        премьер-министр* премьер вице-премьер*
        рада указ указа указом указе влада влади владу
        elected election* electoral
        """,
    "economy": """
        эконом* экономик*! финанс* банк* центробанк* цб кредит* ипотек* вклад* депозит* ставк* ключев*
        инфляци*! ввп бюджет* налог* налогов* пошлин* тариф* рубл* доллар* евро курс курса курсу
        валют* биржа биржи бирж* акци акций акциям акциями облигаци* инвест* инвестор* дивиденд*
        капитализац* котировк* индекс* нефт* газ газа газу газпром* роснефт* опек* баррел* потолок
        цен цена цены ценам ценами подорож* подешев* стоимост* рынок рынка рынке рынку рынков
        рыночн* корпорац* холдинг* выручк* прибыл* убыт* доход* расход* отчетност* ipo
        сделк* слияни* поглощени* акционер* банкрот* дефолт* задолженност* зарплат* безработ*
        занятост* экспорт* импорт* торгов* товарооборот* ритейл* ретейл* магазин* продаж* потребител*
        производств* завод* промышлен* агро* урожа* зерн* минфин* минэконом*
        набиуллин* сбербанк* втб мвф бизнес* предприниматель* предприяти* стартап* бирже
        мосбирж* нефтегаз* энергоносител* электроэнерги* тарифы ритейлер* аренд* недвижимост* жиль*
        квартир* застройщик* девелопер* ндс ндфл пенсионн* субсиди* госдолг* бюджетн* криптовалют*
        биткоин* майнинг* млрд миллиард* трлн триллион* процент* рентабельн* маркетплейс*
        економ* фінанс* банку банків гривн* гривень інфляці* податк* бюджет* ціни ціна цін цін*
        зарплат* інвест* підприєм* ринок ринку експорт* імпорт* виробництв* компані*
        economy economic* economist* finance* financial* bank* banker* fed
        interest inflation*! gdp budget* tax* taxes tariff* dollar* rupee* yuan currenc* exchange
        stock* shares bond* yield* investor* invest* dividend* market* nasdaq dow s&p index
        oil crude opec barrel* gas price* prices pricing cost* costs revenue* profit* loss* earnings
        quarter* quarterly fiscal company companies corporat* firm* business* merger* acquisit*
        acquire* shareholder* bankrupt* debt* loan* mortgage* credit* salar* unemploy* job* jobs
        employ* hiring layoff* export* import* trade* retail* retailer* sales consumer* demand supply
        manufactur* factory factories industr* agricultur* crop* harvest* imf wto ceo startup* ipo
        billion* trillion* percent* bitcoin* crypto* cryptocurrenc* valuation* wall economy!
        shares stock stocks
        спрос спроса спросом долг долга долгу долгов долги долговой долгового компания компании компаний компаниям
        euro euros eurozone wage wages
        """,
    "technology": """
        технолог* смартфон*! телефон* iphone айфон* android андроид* apple эппл samsung самсунг google
        гугл* microsoft майкрософт* яндекс* huawei хуавей* xiaomi сяоми* гаджет* планшет* ноутбук*
        компьютер* процессор* чип* чипов микросхем* видеокарт* nvidia intel amd qualcomm приложени*
        софт* операционн* windows ios macos linux обновлени* прошивк* интернет* сервис*
        мессенджер* telegram телеграм* whatsapp вотсап* facebook фейсбук* instagram twitter
        твиттер* youtube ютуб* вконтакте tiktok тикток* нейросет*! искусственн* интеллект*
        робот* дрон* кибер* хакер* взлом* утечк* пароль* вирус-вымогател* шифрован* блокчейн*
        5g 4g сотов* оператор* мтс мегафон* билайн* роскомнадзор* электромобил* беспилотн* tesla
        тесла* автомобил* автоваз* lada лада* машин* кроссовер* седан* внедорожник* двигател* гибрид*
        электрокар* автопроизводител* батаре* аккумулятор* экран* дисплей* пиксел* гигабайт*
        терабайт* процессор* серверн* облачн* стриминг* виртуальн* дополненн* vr ar носим* умн*
        цифров* айти разработчик* программист* стартап* чатбот* chatgpt openai илон маск*
        смартфон* ноутбук* комп'ютер* застосунк* штучн* інтелект* технологі* автомобіл*
        technolog* tech smartphone*! phone* iphone* ipad* android apple google alphabet microsoft amazon
        samsung huawei xiaomi sony gadget* tablet* laptop* computer* pc processor* chip* chipmaker*
        semiconductor* nvidia intel amd qualcomm app apps software* hardware* update*
        operating windows ios macos linux internet online website* browser* chrome firefox messenger
        whatsapp facebook instagram twitter youtube tiktok telegram meta ai artificial
        intelligence neural robot* robotic* drone* cyber* hacker* hack* breach* leak* data password*
        ransomware* malware* encrypt* blockchain* 5g broadband* telecom* wireless* electric vehicle*
        ev evs tesla* autonomous self-driving automaker* carmaker* engine* battery batteries
        screen* camera* pixel* gigabyte* cloud* streaming* virtual augmented vr wearable*
        smart digital* developer* programmer* coding chatbot* chatgpt openai musk* spacex* gaming console*
        playstation xbox nintendo
        car cars electri* программн* программист* приложение
        програмн* мобильн*
        распрацоўшч* праграм* праграміст* тэхналог* кампутар* тэлефон*
        electron* display displays
        сбой сбоя сбои сбоем пользовател* платформ* дата-центр* серверов сервера разработчики исходн* outage* users platform* datacenter* servers engineer* open-source software-update
        """,
    "sports": """
        спорт*! футбол*! хоккей*! баскетбол*! волейбол*! теннис*! бокс* боксер* мма ufc единоборств*
        борец* чемпионат*! чемпион* турнир*! матч*! лига* лиги рпл кхл нхл нба фифа уефа
        сборн* клуб* тренер*! наставник* игрок* футболист* хоккеист* теннисист* форвард* нападающ*
        защитник* вратар* голкипер* полузащитник* гол гола голы голов голом забил* пенальти*
        ничь* поражени* обыграл* разгром* обыгра* победил* финал* полуфинал* четвертьфинал* плей-офф
        олимпи*! олимпийск* медал* золот* серебр* бронз* спортсмен* атлет* легкоатлет*
        биатлон*! лыж* фигурист* фигурн* гимнаст* плавани* пловц* гонк* гонщик* формул* автоспорт*
        шахмат* киберспорт* стадион* арен* болельщик* фанат* трансфер* контракт* дерби спартак* цска
        зенит* локомотив* динамо* краснодар* шахтер* барселон* реал ювентус* бавари* манчестер*
        ливерпул* челси* арсенал* псж милан* интер сезон* тур тура туре чемпионата!
        футбол* хокей* спорт* чемпіонат* збірн* тренер* гравц* матч* турнір* олімпі* перемог* поразк*
        рахунк* гол голи воротар* клубу клуб*
        sport*! football*! soccer*! hockey*! basketball*! baseball*! volleyball* tennis*! golf*
        boxing* boxer* ufc mma wrestl* cricket*! rugby*! championship*! champion* tournament*!
        match* matches league* nfl nba nhl mlb fifa uefa premier team* squad* club* coach*!
        player* striker* defender* goalkeeper* midfielder* quarterback* pitcher* goal goals
        scored score* penalt* draw defeat* beat beats won win wins victory semifinal*
        quarterfinal* playoff* olympic*! medal* gold silver bronze athlete* sprint* marathon*
        gymnast* swim* race racing formula f1 nascar grand prix chess esports stadium*
        fans transfer* contract* derby season* innings wicket* odi t20 ipl batsman*
        bowler* inning* touchdown* slam wimbledon* medalist* cup
        final finals finalist* ski skiing skier* skater* skating
        борец борцы борцов
        """,
    "entertainment": """
        кино*! фильм*! сериал*! режиссер* актер* актрис* кинотеатр* прокат* кассов* трейлер*
        оскар* канн* фестивал* музык*! песн* певиц* певец* певца рэпер* рэп* альбом* клип* концерт*
        гастрол* солист* звезд* знаменитост* шоу* телеведущ* телеканал* эфир*
        программ* театр*! спектакл* балет* выставк* музей* картин* художник* писател*
        книг* литератур* премия* премии награ* грэмми эмми голливуд* блогер*
        развод* свадьб* беременн* влюблен* поклонник* светск* пугачев* галкин* киркоров*
        бузов* собчак* басков* лепс* меладзе* лорак* моргенштерн* netflix нетфликс* marvel disney
        дисней* игр* видеоигр* геймер* мультфильм* анимаци* комик* юмор* стендап* концерты! евровидени*!
        фільм* серіал* акторк* актор* співа* пісн* кліп* концерт* вистав* музе* книж* письменни*
        шоу зірк* знаменит* театр*
        film*! movie*! cinema* series tv television* episode* season director* actor* actress*
        starring celebrity* celebrit* hollywood* box trailer* premiere* oscar* oscars
        emmy* grammy* cannes festival* music*! song* singer* rapper* rap album*
        concert* tour* band* pop rock hip-hop theatre* theater* broadway musical* ballet exhibit*
        museum* painting* artist* novel* book* books poet* literary prize* award* netflix
        disney* marvel hbo spotify* streaming youtuber* influencer* kardashian* beyonce* taylor swift
        wedding* divorc* pregnan* married dating romance* royal* prince* princess* meghan harry kate
        video game* videogame* gamer* anime* cartoon* comedian* comedy* stand-up eurovision* bollywood*
        star stars show shows showbiz телепередач* телеведущ* премьеры премьеру премьере романа романе романы
        опера оперы оперу опере оперн* поэт поэта поэты поэтесс*
        opera operas author authors authored
        """,
    "science": """
        наук*! научн*! ученые*! ученых* ученым* исследовани*! исследовател* эксперимент* лаборатор*
        университет* академи* профессор* физик* химик* биолог* генетик* геном* днк ген гены генов
        клетк* клеточн* молекул* атом* квант* частиц* коллайдер* астроном* астрофизик* космос*!
        космическ* роскосмос* наса nasa марс* луна луны луну лунн* планет* звезд* галактик* вселенн*
        телескоп* спутник* орбит* мкс космонавт* астронавт* ракета-носител* археолог* палеонтолог*
        динозавр* древн* ископаем* климат*! потеплени* экологи* окружающ* выброс* углекисл* ледник*
        океан* животн* млекопитающ* насеком* растени* эволюц* медицин*! медик* врач* болезн*
        заболеван* лечени* лекарств* препарат* вакцин*! вирус* коронавирус* covid ковид* пандеми*
        эпидеми* инфекци* иммун* рак рака онколог* опухол* диабет* ожирени* сердечн* инсульт*
        инфаркт* мозг* нейрон* психолог* здоровь* диет* обнаружил*
        nature science lancet пациент* клиническ* терапи* хирург* трансплант* организм*
        науков* вчен* дослідж* космос* медицин* лікар* хвороб* лікуванн* вакцин* здоров*
        science*! scientist*! scientific* research*! researcher* study studies experiment* laboratory*
        lab university universit* professor* physic* chemist* chemistry biolog* genetic* genome* dna
        gene genes cellular molecul* atom* quantum particle* collider* astronom* astrophysic*
        space*! nasa esa mars lunar moon planet* star stars galaxy galaxies universe telescope*
        satellite* orbit* iss astronaut* cosmonaut* rocket* spacecraft* archaeolog* paleontolog*
        dinosaur* fossil* ancient climate*! warming emission* carbon glacier* ocean* species animal*
        mammal* insect* plant* evolution* medic* medicine* doctor* disease* treatment* drug* vaccine*!
        virus* coronavirus covid* pandemic* epidemic* infection* immun* cancer* tumor* tumour* diabetes
        obesity heart stroke brain* neuro* psycholog* health* diet* sleep discover* journal
        patient* clinical* therap* surgeon* surgery transplant* organism* peer-reviewed
        cell cells cellular
        навукоўц* навук* навуков* даследаванн* даследчык* вучон*
        """,
    "other": """
        праздник* традици* обыча* религи* церк* патриарх*
        храм* православн* мусульман* ислам* рождеств* пасх* мода модн* дизайн* стиль* интерьер*
        путешеств* туризм* туристическ* турист* отпуск* курорт* авиабилет* отел* кулинар* ресторан*
        кафе* еда еды блюд* животн* кошк* кот собак* питомц* зоопарк* панд* курьез* необычн* странн*
        сіноптык* надвор* пагод*
        pope church* religio* christmas easter ramadan fashion* designer* style travel* tourism*
        tourist* holiday* vacation* resort* hotel* restaurant* food* dish* chef* pet pets dog* cat
        cats zoo* funny bizarre quirky
        гороскоп*! астролог*! зодиак*! овн* тельц* близнец* раков скорпион* стрельц* козерог* водоле* рыбам знакам сонник* приметы примет* именины нумеролог* таро лунный погода погоды погоду синоптик*
        гидрометцентр* гороскоп* horoscope*! astrolog*! zodiac*! aries taurus virgo libra scorpio sagittarius capricorn aquarius pisces weather forecast
        осадк* птиц* снегопад* ливн* дожд* мороз* аномальн* жара жары волонтер* зоопарк* заповедник* forecaster* winds rain rainfall snow snowfall heatwave bird* wildlife rare volunteers
        """,
    "not_news": """

        рецепт*! приготовить приготовлени* ингредиент* духовк* фарш* тесто мука муки сахар* духовке выпечк*
        вкусн* салат* советы лайфхак*! способов пошагов* инструкци*
        купить! скидк*! акция распродаж* промокод*
        подписывайтесь подпишитесь реклам*! партнерск* спонсор*
        выгодн* успей успейте звоните викторин* угадай*
        календар* энциклопеди* википеди*
        биографи* топ-10 топ подборк*

        рецепт* знижк* купуйте

        recipe*! ingredient* bake baking oven tablespoon* flour preheat sugar whisk
        teaspoon* hacks guide* step-by-step tutorial* diy buy discount*!
        coupon* shipping subscribe* sponsored*! advertis*! advertorial*
        quiz* trivia encyclopedia* wikipedia definition* biography
        review* reviews
        советы способов выбрать
        своими-руками
        promo promocode
        """,
}
