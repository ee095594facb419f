"""The fixed wording of documents guests read (programme, tour programme, guest page), in their language.

German and English come from the app's gettext catalog (call `labels_for` inside `force_locale`);
the other languages a delegation commonly reads have a small dictionary here, reviewed by the unit's
language staff. A language without a dictionary gets English labels: its item texts still appear.
"""
from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask_babel import lazy_gettext as _l

# English msgids (for the catalog) of every label a guest document uses.
MSGIDS = {
    "unit": _l("International Unit, Office of the Mayor"),
    "city_of": _l("City of %(city)s"),
    "programme": _l("Programme"),
    "tour_programme": _l("Travel programme"),
    "day": _l("Day %(number)s"),
    "time": _l("Time"),
    "item": _l("Programme item"),
    "venue": _l("Venue"),
    "dress_code": _l("Dress code"),
    "contacts": _l("Contact persons"),
    "practical": _l("Practical information"),
    "hotel": _l("Hotel"),
    "emergency": _l("Emergency numbers"),
    "police": _l("Police"),
    "fire_ambulance": _l("Fire brigade and ambulance"),
    "ambulance": _l("Ambulance"),
    "fire": _l("Fire brigade"),
    "emergency_all": _l("Emergency (all services)"),
    "ask_emergency": _l("Please ask your contact person for the local emergency numbers."),
    "unit_office": _l("International Unit (office)"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "lead_contact": _l("Your contact person"),
    "deputy_contact": _l("Deputy contact person"),
    "on_site": _l("Responsible on site"),
    "head": _l("Head of delegation"),
    "travellers": _l("Travellers"),
    "as_of": _l("As of %(date)s"),
    "live": _l("Live programme"),
    "live_hint": _l("Scan the code for the current programme. It is updated whenever plans change."),
    "qr_alt": _l("Link to the live programme"),
    "local_time": _l("Local time"),
    "home_time": _l("Time in %(city)s"),
    "time_difference": _l("Time difference to %(city)s: %(offset)s hours"),
    "times_note": _l("All times are local times (%(place)s)."),
    "no_items": _l("No appointments on this day."),
    "delegation_from": _l("Delegation from %(place)s"),
    "visit_to": _l("Visit to %(place)s"),
    "download_pdf": _l("Download as PDF"),
    "download_pdf_large": _l("Large print (PDF)"),
    "language": _l("Language"),
    "tentative": _l("to be confirmed"),
}

DICTIONARIES: dict[str, dict[str, str]] = {
    "zh": {
        "unit": "市长办公室 国际事务处", "city_of": "%(city)s市", "programme": "日程安排",
        "tour_programme": "出访日程", "day": "第%(number)s天", "time": "时间", "item": "活动", "venue": "地点",
        "dress_code": "着装要求", "contacts": "联系人", "practical": "实用信息", "hotel": "酒店",
        "emergency": "紧急电话", "police": "警察", "fire_ambulance": "消防和急救", "ambulance": "急救",
        "fire": "消防", "emergency_all": "紧急求助（所有服务）", "ask_emergency": "当地紧急电话请向您的联系人咨询。",
        "unit_office": "国际事务处（办公室）", "phone": "电话", "email": "电子邮件", "lead_contact": "您的联系人",
        "deputy_contact": "副联系人", "on_site": "现场负责人", "head": "代表团团长", "travellers": "出访人员",
        "as_of": "更新于%(date)s", "live": "实时日程", "live_hint": "扫描二维码查看最新日程。日程如有变更，将随时更新。",
        "qr_alt": "实时日程链接", "local_time": "当地时间", "home_time": "%(city)s时间",
        "time_difference": "与%(city)s的时差：%(offset)s小时", "times_note": "所有时间均为当地时间（%(place)s）。",
        "no_items": "当日无安排。", "delegation_from": "%(place)s代表团", "visit_to": "出访%(place)s",
        "download_pdf": "下载PDF", "language": "语言", "tentative": "待确认",
        "download_pdf_large": "大字版（PDF）",
    },
    "ja": {
        "unit": "市長室 国際課", "city_of": "%(city)s市", "programme": "日程", "tour_programme": "訪問日程",
        "day": "%(number)s日目", "time": "時間", "item": "内容", "venue": "会場", "dress_code": "服装",
        "contacts": "連絡先", "practical": "ご案内", "hotel": "ホテル", "emergency": "緊急連絡先", "police": "警察",
        "fire_ambulance": "消防・救急", "ambulance": "救急", "fire": "消防", "emergency_all": "緊急通報（全サービス）",
        "ask_emergency": "現地の緊急連絡先は担当者にお尋ねください。", "unit_office": "国際課（事務室）",
        "phone": "電話", "email": "メール", "lead_contact": "担当者", "deputy_contact": "副担当者",
        "on_site": "現地担当", "head": "団長", "travellers": "訪問団員", "as_of": "%(date)s現在",
        "live": "最新の日程", "live_hint": "QRコードを読み取ると最新の日程をご覧いただけます。変更があれば随時更新されます。",
        "qr_alt": "最新の日程へのリンク", "local_time": "現地時間", "home_time": "%(city)s時間",
        "time_difference": "%(city)sとの時差：%(offset)s時間", "times_note": "時刻はすべて現地時間です（%(place)s）。",
        "no_items": "この日の予定はありません。", "delegation_from": "%(place)s代表団", "visit_to": "%(place)s訪問",
        "download_pdf": "PDFをダウンロード", "language": "言語", "tentative": "未確定",
        "download_pdf_large": "大きな文字版（PDF）",
    },
    "ru": {
        "unit": "Отдел международных связей, канцелярия обер-бургомистра", "city_of": "Город %(city)s",
        "programme": "Программа", "tour_programme": "Программа поездки", "day": "День %(number)s",
        "time": "Время", "item": "Мероприятие", "venue": "Место", "dress_code": "Дресс-код",
        "contacts": "Контактные лица", "practical": "Практическая информация", "hotel": "Гостиница",
        "emergency": "Экстренные номера", "police": "Полиция", "fire_ambulance": "Пожарная служба и скорая помощь",
        "ambulance": "Скорая помощь", "fire": "Пожарная служба", "emergency_all": "Экстренная помощь (все службы)",
        "ask_emergency": "Местные экстренные номера уточните у вашего контактного лица.",
        "unit_office": "Отдел международных связей (приёмная)", "phone": "Телефон", "email": "Эл. почта",
        "lead_contact": "Ваше контактное лицо", "deputy_contact": "Заместитель контактного лица",
        "on_site": "Ответственный на месте", "head": "Руководитель делегации", "travellers": "Участники поездки",
        "as_of": "По состоянию на %(date)s", "live": "Актуальная программа",
        "live_hint": "Отсканируйте код, чтобы открыть актуальную программу. Она обновляется при каждом изменении.",
        "qr_alt": "Ссылка на актуальную программу", "local_time": "Местное время", "home_time": "Время (%(city)s)",
        "time_difference": "Разница во времени (%(city)s): %(offset)s ч",
        "times_note": "Указано местное время (%(place)s).", "no_items": "На этот день мероприятий не запланировано.",
        "delegation_from": "Делегация: %(place)s", "visit_to": "Поездка: %(place)s", "download_pdf": "Скачать PDF",
        "download_pdf_large": "Крупный шрифт (PDF)",
        "language": "Язык", "tentative": "требует подтверждения",
    },
    "uk": {
        "unit": "Відділ міжнародних зв’язків, канцелярія обер-бургомістра", "city_of": "Місто %(city)s",
        "programme": "Програма", "tour_programme": "Програма поїздки", "day": "День %(number)s", "time": "Час",
        "item": "Захід", "venue": "Місце", "dress_code": "Дрес-код", "contacts": "Контактні особи",
        "practical": "Практична інформація", "hotel": "Готель", "emergency": "Екстрені номери",
        "police": "Поліція", "fire_ambulance": "Пожежна служба та швидка допомога", "ambulance": "Швидка допомога",
        "fire": "Пожежна служба", "emergency_all": "Екстрена допомога (усі служби)",
        "ask_emergency": "Місцеві екстрені номери уточніть у вашої контактної особи.",
        "unit_office": "Відділ міжнародних зв’язків (приймальня)", "phone": "Телефон", "email": "Ел. пошта",
        "lead_contact": "Ваша контактна особа", "deputy_contact": "Заступник контактної особи",
        "on_site": "Відповідальний на місці", "head": "Керівник делегації", "travellers": "Учасники поїздки",
        "as_of": "Станом на %(date)s", "live": "Актуальна програма",
        "live_hint": "Відскануйте код, щоб відкрити актуальну програму. Вона оновлюється після кожної зміни.",
        "qr_alt": "Посилання на актуальну програму", "local_time": "Місцевий час", "home_time": "Час (%(city)s)",
        "time_difference": "Різниця в часі (%(city)s): %(offset)s год",
        "times_note": "Указано місцевий час (%(place)s).", "no_items": "На цей день заходів не заплановано.",
        "delegation_from": "Делегація: %(place)s", "visit_to": "Поїздка: %(place)s",
        "download_pdf": "Завантажити PDF", "language": "Мова", "tentative": "потребує підтвердження",
        "download_pdf_large": "Великий шрифт (PDF)",
    },
    "tr": {
        "unit": "Uluslararası İlişkiler Birimi, Belediye Başkanlığı", "city_of": "%(city)s Şehri",
        "programme": "Program", "tour_programme": "Gezi programı", "day": "%(number)s. gün", "time": "Saat",
        "item": "Etkinlik", "venue": "Yer", "dress_code": "Kıyafet kuralı", "contacts": "İletişim kişileri",
        "practical": "Pratik bilgiler", "hotel": "Otel", "emergency": "Acil durum numaraları", "police": "Polis",
        "fire_ambulance": "İtfaiye ve ambulans", "ambulance": "Ambulans", "fire": "İtfaiye",
        "emergency_all": "Acil çağrı (tüm hizmetler)",
        "ask_emergency": "Yerel acil durum numaralarını lütfen iletişim kişinize sorun.",
        "unit_office": "Uluslararası İlişkiler Birimi (sekreterlik)", "phone": "Telefon", "email": "E-posta",
        "lead_contact": "İletişim kişiniz", "deputy_contact": "Yedek iletişim kişisi", "on_site": "Yerinde sorumlu",
        "head": "Heyet başkanı", "travellers": "Gezi katılımcıları", "as_of": "%(date)s itibarıyla",
        "live": "Güncel program",
        "live_hint": "Güncel programı görmek için kodu okutun. Program her değişiklikte güncellenir.",
        "qr_alt": "Güncel programın bağlantısı", "local_time": "Yerel saat", "home_time": "%(city)s saati",
        "time_difference": "%(city)s ile saat farkı: %(offset)s saat",
        "times_note": "Tüm saatler yerel saattir (%(place)s).", "no_items": "Bu gün için planlanmış etkinlik yok.",
        "delegation_from": "Heyet: %(place)s", "visit_to": "Ziyaret: %(place)s", "download_pdf": "PDF olarak indir",
        "download_pdf_large": "Büyük punto (PDF)",
        "language": "Dil", "tentative": "kesinleşmedi",
    },
    "ar": {
        "unit": "وحدة العلاقات الدولية، مكتب رئيس البلدية", "city_of": "مدينة %(city)s", "programme": "البرنامج",
        "tour_programme": "برنامج الرحلة", "day": "اليوم %(number)s", "time": "الوقت", "item": "الفعالية",
        "venue": "المكان", "dress_code": "قواعد اللباس", "contacts": "جهات الاتصال", "practical": "معلومات عملية",
        "hotel": "الفندق", "emergency": "أرقام الطوارئ", "police": "الشرطة", "fire_ambulance": "الإطفاء والإسعاف",
        "ambulance": "الإسعاف", "fire": "الإطفاء", "emergency_all": "الطوارئ (جميع الخدمات)",
        "ask_emergency": "يُرجى سؤال الشخص المسؤول عن التواصل معكم عن أرقام الطوارئ المحلية.",
        "unit_office": "وحدة العلاقات الدولية (المكتب)", "phone": "الهاتف", "email": "البريد الإلكتروني",
        "lead_contact": "الشخص المسؤول عن التواصل معكم", "deputy_contact": "نائب الشخص المسؤول",
        "on_site": "المسؤول في الموقع", "head": "رئيس الوفد", "travellers": "المشاركون في الرحلة",
        "as_of": "محدَّث بتاريخ %(date)s", "live": "البرنامج المحدَّث",
        "live_hint": "امسحوا الرمز للاطلاع على أحدث نسخة من البرنامج. يُحدَّث البرنامج عند كل تغيير.",
        "qr_alt": "رابط البرنامج المحدَّث", "local_time": "التوقيت المحلي", "home_time": "توقيت %(city)s",
        "time_difference": "فرق التوقيت مع %(city)s: %(offset)s ساعات",
        "times_note": "جميع الأوقات بالتوقيت المحلي (%(place)s).", "no_items": "لا توجد مواعيد في هذا اليوم.",
        "delegation_from": "وفد من %(place)s", "visit_to": "زيارة إلى %(place)s", "download_pdf": "تنزيل ملف PDF",
        "download_pdf_large": "طباعة بخط كبير (PDF)",
        "language": "اللغة", "tentative": "قيد التأكيد",
    },
    "pl": {
        "unit": "Biuro Współpracy Międzynarodowej, Kancelaria Nadburmistrza", "city_of": "Miasto %(city)s",
        "programme": "Program", "tour_programme": "Program podróży", "day": "Dzień %(number)s", "time": "Godzina",
        "item": "Punkt programu", "venue": "Miejsce", "dress_code": "Strój", "contacts": "Osoby kontaktowe",
        "practical": "Informacje praktyczne", "hotel": "Hotel", "emergency": "Numery alarmowe", "police": "Policja",
        "fire_ambulance": "Straż pożarna i pogotowie ratunkowe", "ambulance": "Pogotowie ratunkowe",
        "fire": "Straż pożarna", "emergency_all": "Numer alarmowy (wszystkie służby)",
        "ask_emergency": "O lokalne numery alarmowe prosimy pytać osobę kontaktową.",
        "unit_office": "Biuro Współpracy Międzynarodowej (sekretariat)", "phone": "Telefon", "email": "E-mail",
        "lead_contact": "Państwa osoba kontaktowa", "deputy_contact": "Zastępca osoby kontaktowej",
        "on_site": "Osoba odpowiedzialna na miejscu", "head": "Przewodniczący delegacji",
        "travellers": "Uczestnicy podróży", "as_of": "Stan na %(date)s", "live": "Aktualny program",
        "live_hint": "Zeskanuj kod, aby zobaczyć aktualny program. Jest aktualizowany przy każdej zmianie.",
        "qr_alt": "Link do aktualnego programu", "local_time": "Czas lokalny", "home_time": "Czas (%(city)s)",
        "time_difference": "Różnica czasu (%(city)s): %(offset)s godz.",
        "times_note": "Wszystkie godziny podano w czasie lokalnym (%(place)s).",
        "no_items": "Na ten dzień nie zaplanowano spotkań.", "delegation_from": "Delegacja: %(place)s",
        "visit_to": "Wizyta: %(place)s", "download_pdf": "Pobierz PDF", "language": "Język",
        "download_pdf_large": "Duża czcionka (PDF)",
        "tentative": "do potwierdzenia",
    },
    "fr": {
        "unit": "Service des relations internationales, Cabinet du maire", "city_of": "Ville de %(city)s",
        "programme": "Programme", "tour_programme": "Programme du voyage", "day": "Jour %(number)s",
        "time": "Heure", "item": "Point du programme", "venue": "Lieu", "dress_code": "Tenue",
        "contacts": "Personnes à contacter", "practical": "Informations pratiques", "hotel": "Hôtel",
        "emergency": "Numéros d’urgence", "police": "Police", "fire_ambulance": "Pompiers et secours médicaux",
        "ambulance": "Secours médicaux", "fire": "Pompiers", "emergency_all": "Urgences (tous services)",
        "ask_emergency": "Demandez les numéros d’urgence locaux à votre interlocuteur.",
        "unit_office": "Service des relations internationales (secrétariat)", "phone": "Téléphone",
        "email": "Courriel", "lead_contact": "Votre interlocuteur", "deputy_contact": "Interlocuteur suppléant",
        "on_site": "Responsable sur place", "head": "Chef de délégation", "travellers": "Participants au voyage",
        "as_of": "Mis à jour le %(date)s", "live": "Programme actualisé",
        "live_hint": "Scannez le code pour consulter le programme actuel. Il est mis à jour à chaque changement.",
        "qr_alt": "Lien vers le programme actualisé", "local_time": "Heure locale", "home_time": "Heure de %(city)s",
        "time_difference": "Décalage horaire avec %(city)s : %(offset)s h",
        "times_note": "Toutes les heures sont indiquées en heure locale (%(place)s).",
        "no_items": "Aucun rendez-vous prévu ce jour.", "delegation_from": "Délégation : %(place)s",
        "visit_to": "Visite : %(place)s", "download_pdf": "Télécharger le PDF", "language": "Langue",
        "download_pdf_large": "Gros caractères (PDF)",
        "tentative": "à confirmer",
    },
    "es": {
        "unit": "Unidad de Relaciones Internacionales, Oficina del Alcalde", "city_of": "Ciudad de %(city)s",
        "programme": "Programa", "tour_programme": "Programa del viaje", "day": "Día %(number)s", "time": "Hora",
        "item": "Actividad", "venue": "Lugar", "dress_code": "Vestimenta", "contacts": "Personas de contacto",
        "practical": "Información práctica", "hotel": "Hotel", "emergency": "Números de emergencia",
        "police": "Policía", "fire_ambulance": "Bomberos y ambulancia", "ambulance": "Ambulancia",
        "fire": "Bomberos", "emergency_all": "Emergencias (todos los servicios)",
        "ask_emergency": "Pregunte a su persona de contacto por los números de emergencia locales.",
        "unit_office": "Unidad de Relaciones Internacionales (secretaría)", "phone": "Teléfono",
        "email": "Correo electrónico", "lead_contact": "Su persona de contacto",
        "deputy_contact": "Persona de contacto suplente", "on_site": "Responsable en el lugar",
        "head": "Jefe de la delegación", "travellers": "Participantes del viaje", "as_of": "Actualizado el %(date)s",
        "live": "Programa actualizado",
        "live_hint": "Escanee el código para ver el programa actual. Se actualiza con cada cambio.",
        "qr_alt": "Enlace al programa actualizado", "local_time": "Hora local", "home_time": "Hora de %(city)s",
        "time_difference": "Diferencia horaria con %(city)s: %(offset)s h",
        "times_note": "Todas las horas son locales (%(place)s).", "no_items": "No hay citas previstas este día.",
        "delegation_from": "Delegación: %(place)s", "visit_to": "Visita: %(place)s", "download_pdf": "Descargar PDF",
        "download_pdf_large": "Letra grande (PDF)",
        "language": "Idioma", "tentative": "por confirmar",
    },
    "it": {
        "unit": "Ufficio Relazioni Internazionali, Gabinetto del Sindaco", "city_of": "Città di %(city)s",
        "programme": "Programma", "tour_programme": "Programma del viaggio", "day": "Giorno %(number)s",
        "time": "Ora", "item": "Appuntamento", "venue": "Luogo", "dress_code": "Abbigliamento",
        "contacts": "Referenti", "practical": "Informazioni pratiche", "hotel": "Albergo",
        "emergency": "Numeri di emergenza", "police": "Polizia", "fire_ambulance": "Vigili del fuoco e ambulanza",
        "ambulance": "Ambulanza", "fire": "Vigili del fuoco", "emergency_all": "Emergenze (tutti i servizi)",
        "ask_emergency": "Chiedete al vostro referente i numeri di emergenza locali.",
        "unit_office": "Ufficio Relazioni Internazionali (segreteria)", "phone": "Telefono", "email": "E-mail",
        "lead_contact": "Il vostro referente", "deputy_contact": "Referente sostituto",
        "on_site": "Responsabile sul posto", "head": "Capo delegazione", "travellers": "Partecipanti al viaggio",
        "as_of": "Aggiornato al %(date)s", "live": "Programma aggiornato",
        "live_hint": "Inquadrate il codice per consultare il programma aggiornato: viene aggiornato a ogni modifica.",
        "qr_alt": "Link al programma aggiornato", "local_time": "Ora locale", "home_time": "Ora di %(city)s",
        "time_difference": "Differenza di fuso orario con %(city)s: %(offset)s h",
        "times_note": "Tutti gli orari sono indicati in ora locale (%(place)s).",
        "no_items": "Nessun appuntamento previsto in questo giorno.", "delegation_from": "Delegazione: %(place)s",
        "visit_to": "Visita: %(place)s", "download_pdf": "Scarica il PDF", "language": "Lingua",
        "download_pdf_large": "Caratteri grandi (PDF)",
        "tentative": "da confermare",
    },
}

GETTEXT_LANGUAGES = ("de", "en")
# Dates in English documents follow British usage (3 May 2027), as the unit writes them.
BABEL_LOCALES = {"en": "en_GB"}


def has_labels(language: str) -> bool:
    return language in GETTEXT_LANGUAGES or language in DICTIONARIES


def label_language(language: str) -> str:
    """The language the labels of a document in `language` are written in."""
    return language if has_labels(language) else "en"


def babel_locale(language: str) -> str:
    return BABEL_LOCALES.get(language, language)


def text_direction(language: str) -> str:
    try:
        return Locale.parse(language).text_direction
    except (UnknownLocaleError, ValueError):
        return "ltr"


def native_name(language: str) -> str:
    """'zh' -> '中文', 'de' -> 'Deutsch': how a language names itself (for language switches)."""
    try:
        name = Locale.parse(language).get_display_name(language) or language
    except (UnknownLocaleError, ValueError):
        return language
    return name[:1].upper() + name[1:]


class DocumentLabels:
    """`labels.programme`, `labels("day", number=2)`: the wording of one document in one language."""

    def __init__(self, language: str, texts: dict[str, str]):
        self.language = language
        self._texts = texts

    def __getattr__(self, key: str) -> str:
        try:
            return self._texts[key]
        except KeyError:
            raise AttributeError(key) from None

    def __call__(self, key: str, **values) -> str:
        text = self._texts[key]
        return text % values if values else text


def labels_for(language: str) -> DocumentLabels:
    """The labels for a document in `language`.

    Call inside `flask_babel.force_locale(label_language(language))`: German and English come from the
    catalog in that locale; other languages from their dictionary (English for any key it lacks).
    """
    language = label_language(language)
    texts = {key: str(msgid) for key, msgid in MSGIDS.items()}  # %(name)s placeholders stay for __call__
    texts.update(DICTIONARIES.get(language, {}))
    return DocumentLabels(language, texts)
