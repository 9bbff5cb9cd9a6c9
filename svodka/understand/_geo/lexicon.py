"""Word lists that tell a place name from a person's name or a common word.

Many small towns share their name with a given name ("Anna", "Emily", "Ольга"), a surname
("Orlov", "Walsh", "Белово" ← "Белова") or a common word ("Banks", "Change", "Мир"). The matcher
in ``geo.py`` uses these lists as context:

- ``GIVEN_*``: given names. A capitalised word right after one is a surname ("Михаил Орлов",
  "Laura Parker"); a given name followed by a capitalised word is a person ("Anna Kravets").
  Cyrillic names are expanded into their case forms at build time ("Михаила Орлова").
- ``EN_COMMON``: English words often capitalised at a sentence start, in Title Case headlines or in
  names of firms and teams, that are also names of small places. They need a preposition
  ("in Banks") or a type word to count.
- ``HONORIFICS``, ``SPEECH_VERBS``: "President X", "said X" (a person, when X looks like one).
- ``ORG_AFTER``: "X Company", "X Technopark": an organisation named after something.
- ``HYDRONYMS``: rivers and lakes that are also town names ("мост через Обь"); only a settlement
  preposition ("в Оби", "из Оби") or a type word makes them the town.
- ``DEMONYMS``: country adjectives ("French", "французский", "французька"): context for which
  country the text is about, never a place by themselves.

These are lists of words, not of articles: they do not name any test sentence.
"""

from __future__ import annotations


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Given names written in Latin letters: common English ones and the usual transliterations of
# Russian, Ukrainian, Belarusian and other European names.
GIVEN_LATIN = _set("""
saida
jerome aaliyah abel abraham adeline aiden alejandro amir andres ariana arianna asher ashton aubrey
axel ayden bentley bobby brady brayden bryce bryson caden calvin camila carson colin colton corbin
damian damien declan delilah diego dominic elias elliot elliott emilia emiliano emilio emmanuel
emmett enzo erick everett ezekiel ezra felix finley finn gabriella gael gavin gianna giovanni
grayson greyson griffin harper harrison hayden hailey isaiah isla jace jackson jaden jake jameson
jasper javier jax jaxon jayden jeff jeremiah joel jonah jorge josephine josiah josue jude julian
kaden kai kaleb kayden kaylee kennedy kinsley landon layla leah leonardo levi lillian lorenzo luca
lukas maddox madeline madelyn malachi marcus mateo matias matteo maverick max maximus maxwell maya
micah miguel miles milo myles naomi nathaniel nicolas nolan nora omar oscar owen penelope quinn
rafael randy reid rhett riley roger rowan ryder ryker sadie scarlett sebastian silas theo theodore
thiago tobias tristan wesley wyatt xavier zane zoey
aaron abigail adam adrian aidan alan albert alex alexander alexandra alexandre alexei alexey
alexis alice alicia alison alla allison amanda amber amelia amy ana anastasia anastasiya andre
andrea andreas andrei andrew andrey andrii andriy angela angelina anna anne annie anthony anton
antonio arina arkady arseniy arthur artem artyom ashley audrey ava barbara ben benjamin
bernard beth betty bill billy bob bogdan bohdan boris brad bradley brandon brenda brian brittany
bruce bryan caleb cameron carl carlos carol caroline carolyn catherine charles charlie chloe
chris christian christina christine christopher cindy claire connor craig cynthia dan daniel
daniela daniil danielle daria darya dave david dean deborah debra denis dennis denys derek diana
diane dmitri dmitriy dmitro dmitry dmytro donald donna doris dorothy douglas dylan edward
ekaterina elena eleanor elijah elizabeth ella ellen elvira emily emma eric erik ethan eugene
eugenia evan evelyn evgenia evgeny evgeniy fedor fyodor frances francesco frank gabriel galina
gary gennady george georgy gerald gleb gloria grace greg gregory hannah harold harry heather
helen helena henry holly hryhoriy ian igor ihor ilya inna irina iryna isaac isabella ivan ivanna
jack jacob jacqueline james jan jane janet janice jason jean jeffrey jennifer jeremy jerry
jessica jesse joan joe john johnny jonathan jose joseph joshua joyce juan judith judy
julia julie justin karen karina katarzyna kate katherine kathleen kathryn katie kateryna
katerina kayla keith kelly kenneth kevin kim kirill konstantin kristina kseniya ksenia kyle
larisa larysa larry laura lauren lawrence leonid lev liam lily linda lisa logan lori louis
lucas lucy luis luke lydia lyudmila lyubov madison maksim maksym margaret margarita maria marie
marina mariya mark marko martha martin mary mason matthew maxim maxym megan melissa mia michael
michelle mikhail mila milana miroslav mohammed muhammad mykhailo mykola nadezhda nadiya nancy
natalia natalie nataliya natalya nathan nicholas nicole nikita nikolai nikolay nina noah oksana
oleg oleh olena oleksandr oleksii oleksiy olga olha oliver olivia pamela pasha patricia patrick
paul pavel pavlo peter petr petro philip polina rachel ralph raymond rebecca richard robert
roman ronald rose roy ruslan russell ruth ryan sam samantha samuel sandra sara sarah scott sean
semyon serge sergei sergey serhii serhiy sharon shirley sofia sofiya sophia sophie stanislav
stefan stephanie stephen steven susan svetlana svitlana taras tatiana tatyana tetiana teresa
terry thomas tim timothy timur tina todd tom tyler valentina valentyn valeria valery vadim
vasily vasyl vera veronika victor victoria viktor viktoria vincent violetta vitaly vitaliy
vladimir vladislav vladyslav volodymyr vyacheslav walter wayne william yana yaroslav yaroslava
yegor yelena yevgeny yevhen yevheniya yulia yuliya yuri yuriy yury zachary zakhar zhanna zoe
""")

# Given names in Cyrillic (ru / uk / be nominative; the case forms are generated).
GIVEN_CYR = _set("""
александр александра алексей алла алина алиса альберт анастасия анатолий андрей андрій анна
антон аркадий арсений артём артем артур богдан борис вадим валентин валентина валерий валерия
василий василь вера вероника виктор виктория виталий віталій владимир владислав володимир
всеволод вячеслав галина геннадий георгий глеб григорий григорій дана даниил данило дарья
дарина денис дмитрий дмитро евгений евгения егор екатерина елена елизавета жанна захар зинаида
зоя иван игорь ігор илья инна ирина ірина кирилл константин костянтин кристина ксения лариса
леонид лев лидия любовь людмила максим маргарита марина мария марія матвей михаил михайло
надежда надія наталья наталія наталия никита николай микола нина оксана олег олег олександр
олександра олексій олена ольга павел павло петр петро полина роман руслан светлана світлана
семён семен сергей сергій софия софія станислав степан тамара тарас татьяна тетяна тимур
ульяна фёдор федор эдуард элина эльвира юлия юлія юрий юрій яна ярослав ярослава
""")

# Frequent English surnames that are also names of small places.
SURNAMES_LATIN = _set("""
adams allen anderson bailey baker banks barnes bell bennett brooks brown butler campbell carter
clark clarke cole coleman collins cook cooper cox davies davis edwards evans fisher foster gray
green griffin hall harris hayes henderson hill howard hughes jackson jenkins johnson jones kelly
king lee lewis long martin miller mitchell moore morgan morris murphy myers nelson parker
patterson perry peterson phillips powell price reed reynolds richardson roberts robinson rogers
ross russell sanders scott simmons smith stewart sullivan taylor thomas thompson turner walker
wallace walsh ward watson white williams wilson wood wright young
""")

# English words that are also names of small places somewhere: a capital letter says nothing
# about them at a sentence start, in a Title Case headline or in a name ("Time of Change").
EN_COMMON = _set("""
access action agency aid air alert alliance allies angel arena army art arts atlas august
avenue award awards bad banks base battle beauty bell bells bill birds blood board bond bonds
book border boss boxer brain branch brand bread breeze bridge brook budget call camp canal
cancer capital card care cash castle cause center centre chance change chapel charity chief
child children choice circle civil climate club coach coast code coin comfort command commerce
common company concord congress content copper core cost council course cover craft crown
crystal cup dale data dawn day deal death defence defense delight delta desert design destiny
diamond door dream drive duma eagle earth echo edge effect eight element elite empire end enter
entry equity estate eve event events evidence exchange eye face fair faith falcon fame family
farm fashion father fear festival field fields film finance fire five flag flash flight flood
focus food force forces fort fortune forum four fox freedom friend friendship front frontier
future galaxy game games garden gate gateway general gift glory goal golden good grace grand
grove growth guard gulf half hall hand harbor harbour harmony harvest haven health heart heaven
help hero heroes hill holiday honor honour horizon hospital hot hour human humble hunter ice
idea image impact industry iron jobs joy judge junction jury justice key kid king labor labour
lady land law leader league legend level liberty life light line lion lions lodge love luck
lucky magic main mall man manor map marine mark market mars master match mayor medal mercy
meridian metro middle mill mills mind mine mission money monument more mother motor music
mystery nation nature navy net network nine noble note nova number oak oasis offer oil olympia
omega onward opera orbit order orient origin outlook pace palace paradise parade park
party pass path patriot peace pearl people phoenix pilot pine pioneer place plain plains planet
plant plaza pleasant point polar police pond port post power premier price pride prime prince
princess profit promise prospect protest pulse quest race radio rain range ranger rate reach
record reform relief rescue reserve resort rest result return revival rich ridge rise risk rock
rocket rose round royal rush safe safety sale salt science score season second
security senate service seven shelter shield shore sigma silence six sky smart snow solar
solution sound source space sparta spirit sport sports square stadium standard star start
station steel stone storm story strike style success summit sunrise sunset support surprise
swan sword table talent target team tech temple ten term test texture theatre theater thunder
tiger time titan top tower trade trail train transport travel treasure trend trinity triumph
trust truth unity universe unlimited vale value vanguard vector venture view
vision vista voice vote wall war warren water wave way wealth welcome welfare west wolf women
wood works young youth zenith zero
""")

# Titles written before a name, in English.
HONORIFICS = _set("""
mr mrs ms miss dr sir dame lady lord president minister governor mayor senator congressman
congresswoman representative judge justice coach captain general colonel major sergeant lieutenant
admiral commander chancellor premier chairman chairwoman ceo director professor prof rev father
pope king queen prince princess sheikh ambassador secretary spokesman spokeswoman officer
detective inspector agent striker midfielder defender goalkeeper forward manager
""")

# Verbs of saying; "said X" / "сообщил X" is a person when X has a person's name or is no big place.
SPEECH_VERBS = _set("""
said says told noted added explained stated wrote argued announced warned claimed asked replied
according
сказал сказала сообщил сообщила заявил заявила отметил отметила пояснил пояснила добавил
добавила рассказал рассказала подчеркнул подчеркнула считает уточнил уточнила написал написала
сказав сказала повідомив повідомила заявив заявила зазначив зазначила пояснив пояснила додав
додала розповів розповіла наголосив наголосила словам слов мнению думку
""")

# Words after a name that make it the name of an organisation, team or product.
ORG_AFTER = _set("""
company co corp corporation inc ltd llc group holding holdings technopark bank fund foundation
club fc united team studio studios airlines airline motors media systems technologies tech labs
capital partners ventures energy games records publishing press university institute academy
school brand app post times journal herald gazette tribune chronicle courier telegraph
""")

# Rivers and lakes that are also town names: in ru/uk/be/en (lower case, nominative).
HYDRONYMS = _set("""
обь волга дон енисей лена амур иртыш ангара кама ока нева десна урал печора вятка сура
неман нёман нямон німан днестр дністер припять прип'ять прыпяць сож березина бярэзіна
volga ob yenisei amur irtysh angara kama oka neva desna pechora vyatka neman nemunas pripyat
""")

# Country adjectives: context (which country the text is about), never a mention by themselves.
# ISO2 | English (capitalised in text) | Russian / Ukrainian / Belarusian adjective stems.
DEMONYMS = """
FR|French|французск;французьк
DE|German|немецк;німецьк
GB|British|британск;британськ
US|American|американск;американськ
IT|Italian|итальянск;італійськ
ES|Spanish|испанск;іспанськ
PL|Polish|польск;польськ
UA|Ukrainian|украинск;українськ
RU|Russian|российск;російськ;расійск
BY|Belarusian|белорусск;білоруськ;беларуск
KZ|Kazakh|казахстанск;казахстанськ
GE|Georgian|грузинск;грузинськ
CN|Chinese|китайск;китайськ
JP|Japanese|японск;японськ
TR|Turkish|турецк;турецьк
CA|Canadian|канадск;канадськ
AU|Australian|австралийск;австралійськ
BE|Belgian|бельгийск;бельгійськ
NL|Dutch|нидерландск;голландск;нідерландськ
AT|Austrian|австрийск;австрійськ
CH|Swiss|швейцарск;швейцарськ
CZ|Czech|чешск;чеськ
SE|Swedish|шведск;шведськ
FI|Finnish|финск;фінськ
NO|Norwegian|норвежск;норвезьк
LT|Lithuanian|литовск;литовськ
LV|Latvian|латвийск;латвійськ
EE|Estonian|эстонск;естонськ
MD|Moldovan|молдавск;молдовск;молдовськ
AM|Armenian|армянск;вірменськ
AZ|Azerbaijani|азербайджанск;азербайджанськ
IL|Israeli|израильск;ізраїльськ
IR|Iranian|иранск;іранськ
IN|Indian|индийск;індійськ
"""
