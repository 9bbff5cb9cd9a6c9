import re, sys
T = {
"Fetch now": "Загрузить сейчас",
"%(n)d feeds will be fetched on the crawler's next pass.": "Ленты (%(n)d) будут загружены при следующем проходе краулера.",
"Reset back-off and errors": "Сбросить паузу и ошибки",
"Pause": "Приостановить",
"name": "название", "slug": "адрес (slug)", "home page": "главная страница", "country": "страна",
"language": "язык", "rating": "рейтинг", "topic": "тематика",
"not fetched yet": "ещё не загружалась", "working": "работает", "failing": "ошибка", "gone": "исчезла", "paused": "на паузе",
"feed URL": "адрес ленты", "format": "формат", "last error": "последняя ошибка",
"waiting for the page": "ждёт загрузки страницы", "full text": "полный текст", "page could not be read": "страницу не удалось прочитать",
"the site's robots.txt forbids reading the page": "robots.txt сайта запрещает читать страницу", "feed text only": "только текст из ленты",
"Subscribe:": "Подписаться:", "No articles here yet.": "Здесь пока нет новостей.", "Older": "Раньше",
"Articles per hour": "Новостей в час", "Archive": "Архив", "No articles yet.": "Новостей пока нет.",
"Read on the site: %(name)s": "Читать на сайте: %(name)s", "Full text taken from the outlet's page.": "Полный текст взят со страницы издания.",
"Read on the site": "Читать на сайте", "How it reached us": "Откуда мы это узнали", "Feed": "Лента", "Seen": "Замечено",
"Latest": "Свежие", "Sources": "Источники", "Language": "Язык", "Switch": "Сменить",
"Times are shown in your time zone (%(tz)s).": "Время показано в вашем часовом поясе (%(tz)s).",
"svodka — every point of view on each story.": "svodka — все точки зрения на каждую новость.",
"New articles appear here as they arrive.": "Новые сообщения появляются здесь сами, по мере поступления.",
"New articles:": "Новых сообщений:", "Feeds and their status": "Ленты и их состояние", "Status": "Состояние", "Problem": "Проблема",
"Warnings": "Предупреждения", "Last fetch": "Последняя загрузка", "Last success": "Последний успех", "Articles": "Новостей",
"%(n)s in the last fetch": "%(n)s в последней загрузке", "Next fetch": "Следующая загрузка", "Recent fetches": "Недавние загрузки",
"By day": "По дням", "Latest articles": "Последние новости", "Feeds with problems": "Ленты с проблемами", "All sources": "Все источники",
"No such day: %(day)s": "Нет такого дня: %(day)s", "Latest news, minute by minute": "Новости минута за минутой",
"%(source)s on %(day)s": "%(source)s за %(day)s", "No such hour": "Нет такого часа", "No such minute": "Нет такой минуты",
"Archive: %(when)s": "Архив: %(when)s",
}
PLURAL = {"%(n)s time in a row": ["%(n)s раз подряд", "%(n)s раза подряд", "%(n)s раз подряд", "%(n)s раза подряд"]}
path = sys.argv[1]
s = open(path, encoding="utf-8").read()
s = s.replace('"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"')
s = re.sub(r'#, fuzzy\n(msgid "")', r'\1', s, count=1)
def sub(m):
    mid = m.group(1)
    if mid in T:
        return f'msgid "{mid}"\nmsgstr "{T[mid]}"'
    return m.group(0)
s = re.sub(r'msgid "(.+)"\nmsgstr ""', sub, s)
for k, forms in PLURAL.items():
    pat = re.compile(r'(msgid "' + re.escape(k) + r'"\nmsgid_plural "[^"]*"\n)msgstr\[0\] ""\nmsgstr\[1\] ""(\nmsgstr\[2\] "")?')
    s = pat.sub(lambda m: m.group(1) + "\n".join(f'msgstr[{i}] "{f}"' for i, f in enumerate(forms)), s)
open(path, "w", encoding="utf-8").write(s)
missing = re.findall(r'msgid "(.+)"\nmsgstr ""', s)
print("missing:", missing)
