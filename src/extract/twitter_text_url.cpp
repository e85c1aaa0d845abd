// TextExtractor::urls() and what it needs: twitter-text's TLD lists, URL paths and queries, and the IDNA
// ToASCII check of the host (see twitter_text.h).
#include "extract/twitter_text.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>
#include <vector>

#include <utf8proc.h>

#include "extract/twitter_text_chars.h"

namespace trendtop {
using namespace tt_detail;
namespace {

// UTF-16 length of valid UTF-8 (the URL length limit is Java's String.length()).
size_t utf16_length(const u8* p, size_t len) {
  size_t units = 0;
  for (size_t i = 0; i < len; ++i) units += is_cont(p[i]) ? 0 : (p[i] >= 0xF0 ? 2 : 1);
  return units;
}

// ---------------------------------------------------------------------------------------------------------------
// URLs: TLDs. The lists are twitter-text's (conformance/tld_lib.yml, as in its Java TldLists and JS regexps),
// in its order, which the regex alternation follows: longer names come before their prefixes.

constexpr std::string_view kGenericTlds =
    "삼성|닷컴|닷넷|香格里拉|餐厅|食品|飞利浦|電訊盈科|集团|通販|购物|谷歌|诺基亚|联通|网络|网站|"
    "网店|网址|组织机构|移动|珠宝|点看|游戏|淡马锡|机构|書籍|时尚|新闻|政府|政务|手表|手机|我爱你|"
    "慈善|微博|广东|工行|家電|娱乐|天主教|大拿|大众汽车|在线|嘉里大酒店|嘉里|商标|商店|商城|公益|"
    "公司|八卦|健康|信息|佛山|企业|中文网|中信|世界|ポイント|ファッション|セール|ストア|コム|"
    "グーグル|クラウド|みんな|คอม|संगठन|नेट|कॉम|همراه|موقع|موبايلي|كوم|كاثوليك|عرب|شبكة|بيتك|بازار|"
    "العليان|ارامكو|اتصالات|ابوظبي|קום|сайт|рус|орг|онлайн|москва|ком|католик|дети|zuerich|zone|"
    "zippo|zip|zero|zara|zappos|yun|youtube|you|yokohama|yoga|yodobashi|yandex|yamaxun|yahoo|yachts|"
    "xyz|xxx|xperia|xin|xihuan|xfinity|xerox|xbox|wtf|wtc|wow|world|works|work|woodside|"
    "wolterskluwer|wme|winners|wine|windows|win|williamhill|wiki|wien|whoswho|weir|weibo|wedding|wed|"
    "website|weber|webcam|weatherchannel|weather|watches|watch|warman|wanggou|wang|walter|walmart|"
    "wales|vuelos|voyage|voto|voting|vote|volvo|volkswagen|vodka|vlaanderen|vivo|viva|vistaprint|"
    "vista|vision|visa|virgin|vip|vin|villas|viking|vig|video|viajes|vet|versicherung|"
    "vermögensberatung|vermögensberater|verisign|ventures|vegas|vanguard|vana|vacations|ups|uol|uno|"
    "university|unicom|uconnect|ubs|ubank|tvs|tushu|tunes|tui|tube|trv|trust|travelersinsurance|"
    "travelers|travelchannel|travel|training|trading|trade|toys|toyota|town|tours|total|toshiba|"
    "toray|top|tools|tokyo|today|tmall|tkmaxx|tjx|tjmaxx|tirol|tires|tips|tiffany|tienda|tickets|"
    "tiaa|theatre|theater|thd|teva|tennis|temasek|telefonica|telecity|tel|technology|tech|team|tdk|"
    "tci|taxi|tax|tattoo|tatar|tatamotors|target|taobao|talk|taipei|tab|systems|symantec|sydney|"
    "swiss|swiftcover|swatch|suzuki|surgery|surf|support|supply|supplies|sucks|style|study|studio|"
    "stream|store|storage|stockholm|stcgroup|stc|statoil|statefarm|statebank|starhub|star|staples|"
    "stada|srt|srl|spreadbetting|spot|spiegel|space|soy|sony|song|solutions|solar|sohu|software|"
    "softbank|social|soccer|sncf|smile|smart|sling|skype|sky|skin|ski|site|singles|sina|silk|shriram|"
    "showtime|show|shouji|shopping|shop|shoes|shiksha|shia|shell|shaw|sharp|shangrila|sfr|sexy|sex|"
    "sew|seven|ses|services|sener|select|seek|security|secure|seat|search|scot|scor|scjohnson|"
    "science|schwarz|schule|school|scholarships|schmidt|schaeffler|scb|sca|sbs|sbi|saxo|save|sas|"
    "sarl|sapo|sap|sanofi|sandvikcoromant|sandvik|samsung|samsclub|salon|sale|sakura|safety|safe|"
    "saarland|ryukyu|rwe|run|ruhr|rugby|rsvp|room|rogers|rodeo|rocks|rocher|rmit|rip|rio|ril|"
    "rightathome|ricoh|richardli|rich|rexroth|reviews|review|restaurant|rest|republican|report|"
    "repair|rentals|rent|ren|reliance|reit|reisen|reise|rehab|redumbrella|redstone|red|recipes|"
    "realty|realtor|realestate|read|raid|radio|racing|qvc|quest|quebec|qpon|pwc|pub|prudential|pru|"
    "protection|property|properties|promo|progressive|prof|productions|prod|pro|prime|press|praxi|"
    "pramerica|post|porn|politie|poker|pohl|pnc|plus|plumbing|playstation|play|place|pizza|pioneer|"
    "pink|ping|pin|pid|pictures|pictet|pics|piaget|physio|photos|photography|photo|phone|philips|phd|"
    "pharmacy|pfizer|pet|pccw|pay|passagens|party|parts|partners|pars|paris|panerai|panasonic|"
    "pamperedchef|page|ovh|ott|otsuka|osaka|origins|orientexpress|organic|org|orange|oracle|open|ooo|"
    "onyourside|online|onl|ong|one|omega|ollo|oldnavy|olayangroup|olayan|okinawa|office|off|observer|"
    "obi|nyc|ntt|nrw|nra|nowtv|nowruz|now|norton|northwesternmutual|nokia|nissay|nissan|ninja|nikon|"
    "nike|nico|nhk|ngo|nfl|nexus|nextdirect|next|news|newholland|new|neustar|network|netflix|netbank|"
    "net|nec|nba|navy|natura|nationwide|name|nagoya|nadex|nab|mutuelle|mutual|museum|mtr|mtpc|mtn|"
    "msd|movistar|movie|mov|motorcycles|moto|moscow|mortgage|mormon|mopar|montblanc|monster|money|"
    "monash|mom|moi|moe|moda|mobily|mobile|mobi|mma|mls|mlb|mitsubishi|mit|mint|mini|mil|microsoft|"
    "miami|metlife|merckmsd|meo|menu|men|memorial|meme|melbourne|meet|media|med|mckinsey|mcdonalds|"
    "mcd|mba|mattel|maserati|marshalls|marriott|markets|marketing|market|map|mango|management|man|"
    "makeup|maison|maif|madrid|macys|luxury|luxe|lupin|lundbeck|ltda|ltd|lplfinancial|lpl|love|lotto|"
    "lotte|london|lol|loft|locus|locker|loans|loan|lixil|living|live|lipsy|link|linde|lincoln|limo|"
    "limited|lilly|like|lighting|lifestyle|lifeinsurance|life|lidl|liaison|lgbt|lexus|lego|legal|"
    "lefrak|leclerc|lease|lds|lawyer|law|latrobe|latino|lat|lasalle|lanxess|landrover|land|lancome|"
    "lancia|lancaster|lamer|lamborghini|ladbrokes|lacaixa|kyoto|kuokgroup|kred|krd|kpn|kpmg|kosher|"
    "komatsu|koeln|kiwi|kitchen|kindle|kinder|kim|kia|kfh|kerryproperties|kerrylogistics|kerryhotels|"
    "kddi|kaufen|juniper|juegos|jprs|jpmorgan|joy|jot|joburg|jobs|jnj|jmp|jll|jlc|jio|jewelry|jetzt|"
    "jeep|jcp|jcb|java|jaguar|iwc|iveco|itv|itau|istanbul|ist|ismaili|iselect|irish|ipiranga|"
    "investments|intuit|international|intel|int|insure|insurance|institute|ink|ing|info|infiniti|"
    "industries|immobilien|immo|imdb|imamat|ikano|iinet|ifm|ieee|icu|ice|icbc|ibm|hyundai|hyatt|"
    "hughes|htc|hsbc|how|house|hotmail|hotels|hoteles|hot|hosting|host|hospital|horse|honeywell|"
    "honda|homesense|homes|homegoods|homedepot|holiday|holdings|hockey|hkt|hiv|hitachi|hisamitsu|"
    "hiphop|hgtv|hermes|here|helsinki|help|healthcare|health|hdfcbank|hdfc|hbo|haus|hangout|hamburg|"
    "hair|guru|guitars|guide|guge|gucci|guardian|group|grocery|gripe|green|gratis|graphics|grainger|"
    "gov|got|gop|google|goog|goodyear|goodhands|goo|golf|goldpoint|gold|godaddy|gmx|gmo|gmbh|gmail|"
    "globo|global|gle|glass|glade|giving|gives|gifts|gift|ggee|george|genting|gent|gea|gdn|gbiz|"
    "garden|gap|games|game|gallup|gallo|gallery|gal|fyi|futbol|furniture|fund|fun|fujixerox|fujitsu|"
    "ftr|frontier|frontdoor|frogans|frl|fresenius|free|fox|foundation|forum|forsale|forex|ford|"
    "football|foodnetwork|food|foo|fly|flsmidth|flowers|florist|flir|flights|flickr|fitness|fit|"
    "fishing|fish|firmdale|firestone|fire|financial|finance|final|film|fido|fidelity|fiat|ferrero|"
    "ferrari|feedback|fedex|fast|fashion|farmers|farm|fans|fan|family|faith|fairwinds|fail|fage|"
    "extraspace|express|exposed|expert|exchange|everbank|events|eus|eurovision|etisalat|esurance|"
    "estate|esq|erni|ericsson|equipment|epson|epost|enterprises|engineering|engineer|energy|emerck|"
    "email|education|edu|edeka|eco|eat|earth|dvr|dvag|durban|dupont|duns|dunlop|duck|dubai|dtv|drive|"
    "download|dot|doosan|domains|doha|dog|dodge|doctor|docs|dnp|diy|dish|discover|discount|directory|"
    "direct|digital|diet|diamonds|dhl|dev|design|desi|dentist|dental|democrat|delta|deloitte|dell|"
    "delivery|degree|deals|dealer|deal|dds|dclk|day|datsun|dating|date|data|dance|dad|dabur|cyou|"
    "cymru|cuisinella|csc|cruises|cruise|crs|crown|cricket|creditunion|creditcard|credit|courses|"
    "coupons|coupon|country|corsica|coop|cool|cookingchannel|cooking|contractors|contact|consulting|"
    "construction|condos|comsec|computer|compare|company|community|commbank|comcast|com|cologne|"
    "college|coffee|codes|coach|clubmed|club|cloud|clothing|clinique|clinic|click|cleaning|claims|"
    "cityeats|city|citic|citi|citadel|cisco|circle|cipriani|church|chrysler|chrome|christmas|chloe|"
    "chintai|cheap|chat|chase|channel|chanel|cfd|cfa|cern|ceo|center|ceb|cbs|cbre|cbn|cba|catholic|"
    "catering|cat|casino|cash|caseih|case|casa|cartier|cars|careers|career|care|cards|caravan|car|"
    "capitalone|capital|capetown|canon|cancerresearch|camp|camera|cam|calvinklein|call|cal|cafe|cab|"
    "bzh|buzz|buy|business|builders|build|bugatti|budapest|brussels|brother|broker|broadway|"
    "bridgestone|bradesco|box|boutique|bot|boston|bostik|bosch|boots|booking|book|boo|bond|bom|bofa|"
    "boehringer|boats|bnpparibas|bnl|bmw|bms|blue|bloomberg|blog|blockbuster|blanco|blackfriday|"
    "black|biz|bio|bingo|bing|bike|bid|bible|bharti|bet|bestbuy|best|berlin|bentley|beer|beauty|"
    "beats|bcn|bcg|bbva|bbt|bbc|bayern|bauhaus|basketball|baseball|bargains|barefoot|barclays|"
    "barclaycard|barcelona|bar|bank|band|bananarepublic|banamex|baidu|baby|azure|axa|aws|avianca|"
    "autos|auto|author|auspost|audio|audible|audi|auction|attorney|athleta|associates|asia|asda|arte|"
    "art|arpa|army|archi|aramco|arab|aquarelle|apple|app|apartments|aol|anz|anquan|android|analytics|"
    "amsterdam|amica|amfam|amex|americanfamily|americanexpress|alstom|alsace|ally|allstate|allfinanz|"
    "alipay|alibaba|alfaromeo|akdn|airtel|airforce|airbus|aigo|aig|agency|agakhan|africa|afl|"
    "afamilycompany|aetna|aero|aeg|adult|ads|adac|actor|active|aco|accountants|accountant|accenture|"
    "academy|abudhabi|abogado|able|abc|abbvie|abbott|abb|abarth|aarp|aaa|onion";

constexpr std::string_view kCountryTlds =
    "한국|香港|澳門|新加坡|台灣|台湾|中國|中国|გე|ລາວ|ไทย|ලංකා|ഭാരതം|ಭಾರತ|భారత్|சிங்கப்பூர்|இலங்கை|இந்தியா|"
    "ଭାରତ|ભારત|ਭਾਰਤ|ভাৰত|ভারত|বাংলা|भारोत|भारतम्|भारत|ڀارت|پاکستان|موريتانيا|مليسيا|مصر|قطر|فلسطين|"
    "عمان|عراق|سورية|سودان|تونس|بھارت|بارت|ایران|امارات|المغرب|السعودية|الجزائر|البحرين|الاردن|հայ|"
    "қаз|укр|срб|рф|мон|мкд|ею|бел|бг|ευ|ελ|zw|zm|za|yt|ye|ws|wf|vu|vn|vi|vg|ve|vc|va|uz|uy|us|um|uk|"
    "ug|ua|tz|tw|tv|tt|tr|tp|to|tn|tm|tl|tk|tj|th|tg|tf|td|tc|sz|sy|sx|sv|su|st|ss|sr|so|sn|sm|sl|sk|"
    "sj|si|sh|sg|se|sd|sc|sb|sa|rw|ru|rs|ro|re|qa|py|pw|pt|ps|pr|pn|pm|pl|pk|ph|pg|pf|pe|pa|om|nz|nu|"
    "nr|np|no|nl|ni|ng|nf|ne|nc|na|mz|my|mx|mw|mv|mu|mt|ms|mr|mq|mp|mo|mn|mm|ml|mk|mh|mg|mf|me|md|mc|"
    "ma|ly|lv|lu|lt|ls|lr|lk|li|lc|lb|la|kz|ky|kw|kr|kp|kn|km|ki|kh|kg|ke|jp|jo|jm|je|it|is|ir|iq|io|"
    "in|im|il|ie|id|hu|ht|hr|hn|hm|hk|gy|gw|gu|gt|gs|gr|gq|gp|gn|gm|gl|gi|gh|gg|gf|ge|gd|gb|ga|fr|fo|"
    "fm|fk|fj|fi|eu|et|es|er|eh|eg|ee|ec|dz|do|dm|dk|dj|de|cz|cy|cx|cw|cv|cu|cr|co|cn|cm|cl|ck|ci|ch|"
    "cg|cf|cd|cc|ca|bz|by|bw|bv|bt|bs|br|bq|bo|bn|bm|bl|bj|bi|bh|bg|bf|be|bd|bb|ba|az|ax|aw|au|at|as|"
    "ar|aq|ao|an|am|al|ai|ag|af|ae|ad|ac";

struct Tld {
  uint16_t key;    // its first two bytes
  uint16_t order;  // gTLDs first, then ccTLDs, each in list order
  std::string_view name;
};

inline uint16_t tld_key(u8 a, u8 b) {
  return static_cast<uint16_t>(ascii_lower(a) << 8 | ascii_lower(b));
}

const std::vector<Tld>& tld_index() {
  static const std::vector<Tld> index = [] {
    std::vector<Tld> v;
    uint16_t order = 0;
    for (std::string_view list : {kGenericTlds, kCountryTlds}) {
      while (!list.empty()) {
        const size_t bar = list.find('|');
        const std::string_view name = list.substr(0, bar);
        v.push_back({tld_key(static_cast<u8>(name[0]), static_cast<u8>(name[1])), order++, name});
        list = bar == std::string_view::npos ? std::string_view() : list.substr(bar + 1);
      }
    }
    std::sort(v.begin(), v.end(),
              [](const Tld& a, const Tld& b) { return a.key != b.key ? a.key < b.key : a.order < b.order; });
    return v;
  }();
  return index;
}

// (gTLD | ccTLD) each followed by (?=[^a-z0-9@+-]|$), then the punycode alternative (xn--[-0-9a-z]+), at r.
size_t match_tld(const u8* s, size_t n, size_t r, bool punycode) {
  if (r + 2 > n) return npos;
  const std::vector<Tld>& index = tld_index();
  const uint16_t key = tld_key(s[r], s[r + 1]);
  auto it =
      std::lower_bound(index.begin(), index.end(), key, [](const Tld& t, uint16_t k) { return t.key < k; });
  for (; it != index.end() && it->key == key; ++it) {
    const size_t e = r + it->name.size();
    if (e > n || !ci_equal(s + r, it->name)) continue;
    if (e == n || !(has(s[e], kAlnum) || s[e] == '@' || s[e] == '+' || s[e] == '-')) return e;
  }
  if (punycode && ci_prefix(s + r, n - r, "xn--") && r + 4 < n && has(s[r + 4], kLdh)) {
    size_t e = r + 5;
    while (e < n && has(s[e], kLdh)) ++e;
    return e;
  }
  return npos;
}

// ---------------------------------------------------------------------------------------------------------------
// URLs: path and query.

// A run of URL_VALID_GENERAL_PATH_CHARS from q; *last_end is the end of its last URL_VALID_PATH_ENDING_CHARS
// character (npos if none).
size_t scan_path_chars(const u8* s, size_t n, size_t q, size_t* last_end) {
  *last_end = npos;
  while (q < n) {
    if (s[q] < 0x80) {
      if (!has(s[q], kPath)) break;
      if (has(s[q], kPathEnd)) *last_end = q + 1;
      ++q;
      continue;
    }
    const Decoded c = decode(s + q, s + n);
    if (!is_path_char(c.cp)) break;
    q += c.len;
    if (is_path_end(c.cp)) *last_end = q;
  }
  return q;
}

// URL_BALANCED_PARENS at q (s[q] == '('): "(chars)" or "(chars(chars)chars)". Returns the end or npos.
size_t match_parens(const u8* s, size_t n, size_t q) {
  size_t unused;
  const size_t a = scan_path_chars(s, n, q + 1, &unused);
  if (a > q + 1 && a < n && s[a] == ')') return a + 1;
  if (a < n && s[a] == '(') {
    const size_t b = scan_path_chars(s, n, a + 1, &unused);
    if (b > a + 1 && b < n && s[b] == ')') {
      const size_t c = scan_path_chars(s, n, b + 1, &unused);
      if (c < n && s[c] == ')') return c + 1;
    }
  }
  return npos;
}

// URL_VALID_PATH*+ after the '/' at q-1. The regex takes path characters and balanced parentheses greedily,
// then backs off to the last ending character of the last run, or else to the end of the last parentheses;
// what is left can never start another repetition, so one pass decides it.
size_t match_path(const u8* s, size_t n, size_t q) {
  size_t last_end, parens_end = npos;
  size_t e = scan_path_chars(s, n, q, &last_end);
  while (e < n && s[e] == '(') {
    const size_t pe = match_parens(s, n, e);
    if (pe == npos) break;
    parens_end = pe;
    e = scan_path_chars(s, n, pe, &last_end);
  }
  if (last_end != npos) return last_end;
  return parens_end != npos ? parens_end : q;
}

// \?URL_VALID_URL_QUERY_CHARS*URL_VALID_URL_QUERY_ENDING_CHARS at q (s[q] == '?'), within [q, limit). Returns
// the end, or q when there is no query.
size_t match_query(const u8* s, size_t limit, size_t q) {
  size_t end = q;
  for (size_t i = q + 1; i < limit && has(s[i], kQuery); ++i) {
    if (has(s[i], kQueryEnd)) end = i + 1;
  }
  return end;
}

// ---------------------------------------------------------------------------------------------------------------
// URLs: IDNA ToASCII of the host, as Java's IDN.toASCII(host, ALLOW_UNASSIGNED) does it.

// RFC 3454 table B.1: mapped to nothing.
inline bool nameprep_drops(uint32_t cp) {
  return cp == 0xAD || cp == 0x34F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D) ||
         (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
}

// RFC 3491 section 5: nameprep prohibits RFC 3454 tables C.1.2 and C.2.2 to C.9, merged here.
// clang-format off
constexpr std::array<Range, 20> kNameprepProhibited = {{
    {0x80, 0xA0},                           // C.2.2 controls, C.1.2 no-break space
    {0x340, 0x341},                         // C.8
    {0x6DD, 0x6DD}, {0x70F, 0x70F},         // C.2.2
    {0x1680, 0x1680},                       // C.1.2
    {0x180E, 0x180E},                       // C.2.2
    {0x2000, 0x200F},                       // C.1.2 spaces, C.2.2 ZWNJ and ZWJ, C.8 LRM and RLM
    {0x2028, 0x202F},                       // C.2.2 separators, C.8 embeddings, C.1.2
    {0x205F, 0x2063},                       // C.1.2, C.2.2
    {0x206A, 0x206F},                       // C.2.2, C.8
    {0x2FF0, 0x2FFB},                       // C.7
    {0x3000, 0x3000},                       // C.1.2
    {0xD800, 0xF8FF},                       // C.5 surrogates, C.3 private use
    {0xFDD0, 0xFDEF},                       // C.4
    {0xFEFF, 0xFEFF},                       // C.2.2
    {0xFFF9, 0xFFFF},                       // C.2.2, C.6, C.4
    {0x1D173, 0x1D17A},                     // C.2.2
    {0xE0001, 0xE0001}, {0xE0020, 0xE007F}, // C.9
    {0xF0000, 0x10FFFF}}};                  // C.3
// clang-format on

inline bool nameprep_prohibits(uint32_t cp) {
  return (cp & 0xFFFE) == 0xFFFE || (cp >= 0x80 && in_ranges(kNameprepProhibited, cp));  // C.4 in every plane
}

inline bool is_rand_al(int32_t cp) {
  const int bidi = utf8proc_get_property(cp)->bidi_class;
  return bidi == UTF8PROC_BIDI_CLASS_R || bidi == UTF8PROC_BIDI_CLASS_AL;
}

// RFC 3492 punycode: the length of the encoding of cps, counted rather than written.
size_t punycode_length(const int32_t* cps, size_t n) {
  constexpr uint64_t kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700;
  auto adapt = [](uint64_t delta, uint64_t points, bool first) {
    delta = first ? delta / kDamp : delta / 2;
    delta += delta / points;
    uint64_t k = 0;
    while (delta > ((kBase - kTMin) * kTMax) / 2) {
      delta /= kBase - kTMin;
      k += kBase;
    }
    return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
  };
  size_t basic = 0;
  for (size_t i = 0; i < n; ++i) basic += cps[i] < 0x80 ? 1 : 0;
  size_t out = basic + (basic > 0 ? 1 : 0);
  uint64_t delta = 0, bias = 72, next = 0x80;
  for (size_t h = basic; h < n;) {
    uint64_t m = UINT64_MAX;
    for (size_t i = 0; i < n; ++i) {
      const auto c = static_cast<uint64_t>(cps[i]);
      if (c >= next && c < m) m = c;
    }
    delta += (m - next) * (h + 1);
    next = m;
    for (size_t i = 0; i < n; ++i) {
      const auto c = static_cast<uint64_t>(cps[i]);
      if (c < next) ++delta;
      if (c != next) continue;
      uint64_t q = delta;
      for (uint64_t k = kBase;; k += kBase) {
        const uint64_t t = k <= bias ? kTMin : k >= bias + kTMax ? kTMax : k - bias;
        if (q < t) break;
        ++out;
        q = (q - t) / (kBase - t);
      }
      ++out;
      bias = adapt(delta, h + 1, h == basic);
      delta = 0;
      ++h;
    }
    ++delta;
    ++next;
  }
  return out;
}

}  // namespace

// The length of one label of the host after ToASCII, or 0 when ToASCII fails. An ASCII label is kept as it
// is; any other goes through nameprep (map, NFKC, prohibit, bidi) and, unless that made it ASCII, punycode.
size_t TextExtractor::ascii_label_length(const u8* s, size_t begin, size_t end) {
  bool ascii = true;
  for (size_t i = begin; i < end; ++i) ascii = ascii && s[i] < 0x80;
  if (ascii) return end - begin;
  prep_in_.clear();
  for (size_t q = begin; q < end;) {
    const Decoded c = decode(s + q, s + end);
    if (c.cp == kInvalid) return 0;  // (a matched host is valid UTF-8)
    if (!nameprep_drops(c.cp)) prep_in_.append(reinterpret_cast<const char*>(s + q), c.len);
    q += c.len;
  }
  if (prep_in_.empty()) return 0;
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                                      UTF8PROC_CASEFOLD);
  const auto* str = reinterpret_cast<const utf8proc_uint8_t*>(prep_in_.data());
  const auto len = static_cast<utf8proc_ssize_t>(prep_in_.size());
  if (prep_out_.size() < prep_in_.size() * 2 + 16) prep_out_.resize(prep_in_.size() * 2 + 16);
  utf8proc_ssize_t n;
  for (;;) {
    n = utf8proc_decompose(str, len, prep_out_.data(), static_cast<utf8proc_ssize_t>(prep_out_.size()),
                           options);
    if (n < 0) return 0;
    if (static_cast<size_t>(n) <= prep_out_.size()) break;
    prep_out_.resize(static_cast<size_t>(n));
  }
  n = utf8proc_normalize_utf32(prep_out_.data(), n, options);
  if (n <= 0) return 0;
  const int32_t* cps = prep_out_.data();
  const auto count = static_cast<size_t>(n);
  bool rand_al = false, left_to_right = false;
  ascii = true;
  for (size_t i = 0; i < count; ++i) {
    if (nameprep_prohibits(static_cast<uint32_t>(cps[i]))) return 0;
    const int bidi = utf8proc_get_property(cps[i])->bidi_class;
    rand_al = rand_al || bidi == UTF8PROC_BIDI_CLASS_R || bidi == UTF8PROC_BIDI_CLASS_AL;
    left_to_right = left_to_right || bidi == UTF8PROC_BIDI_CLASS_L;
    ascii = ascii && cps[i] < 0x80;
  }
  if (rand_al && (left_to_right || !is_rand_al(cps[0]) || !is_rand_al(cps[count - 1]))) return 0;
  if (ascii) return count;
  if (count >= 4 && cps[0] == 'x' && cps[1] == 'n' && cps[2] == '-' && cps[3] == '-') return 0;  // ACE prefix
  if (count > 59) return 0;  // every code point takes at least one character: over 63 with "xn--"
  return 4 + punycode_length(cps, count);
}

// Extractor.isValidHostAndLength: ToASCII of every label (separated by . 。 ． ｡) succeeds and is 1-63
// characters, and the URL with its host punycoded (plus "https://" when it has no protocol) fits 4096 UTF-16
// units.
bool TextExtractor::valid_host_and_length(const u8* s, const UrlMatch& m, size_t url_end) {
  size_t ascii_host = 0, label = m.domain_start;
  for (size_t q = m.domain_start;; ++q) {
    size_t sep = 0;
    if (q < m.domain_end) {
      if (s[q] == '.') {
        sep = 1;
      } else if (q + 3 <= m.domain_end &&
                 (std::memcmp(s + q, "\xE3\x80\x82", 3) == 0 || std::memcmp(s + q, "\xEF\xBC\x8E", 3) == 0 ||
                  std::memcmp(s + q, "\xEF\xBD\xA1", 3) == 0)) {
        sep = 3;
      } else {
        continue;  // (byte steps: no separator byte occurs inside another character)
      }
    }
    const size_t len = ascii_label_length(s, label, q);
    if (len == 0 || len > 63) return false;
    ascii_host += len;
    if (q >= m.domain_end) break;
    ascii_host += 1;
    label = q + sep;
    q = label - 1;
  }
  const size_t url16 = utf16_length(s + m.start, url_end - m.start);
  const size_t host16 = utf16_length(s + m.domain_start, m.domain_end - m.domain_start);
  return url16 - host16 + ascii_host + (m.protocol ? 0 : 8) <= 4096;
}

// URL_VALID_DOMAIN at d. Returns the end of the host or npos.
size_t TextExtractor::match_domain(const u8* s, size_t n, size_t d) {
  // URL_VALID_SUBDOMAIN* URL_VALID_DOMAIN_NAME (gTLD | ccTLD | punycode): collect the labels that can be
  // subdomains, then try the domain name at the last of them first, as the regex backtracks.
  labels_.clear();
  for (size_t q = d; q < n;) {
    size_t t = q;
    bool first = false, last = false, underscore = false;
    while (t < n) {
      const Decoded c = decode(s + t, s + n);
      const bool domain_char = is_domain_char(c.cp);
      if (!domain_char && c.cp != '-' && c.cp != '_') break;
      if (t == q) first = domain_char;
      last = domain_char;
      underscore = underscore || c.cp == '_';
      t += c.len;
    }
    if (t == q || !first || !last || t >= n || s[t] != '.') break;
    labels_.push_back({t + 1, underscore});
    q = t + 1;
  }
  for (size_t j = labels_.size(); j-- > 0;) {
    if (labels_[j].underscore) continue;  // a domain name has no '_'
    const size_t e = match_tld(s, n, labels_[j].next, true);
    if (e != npos) return e;
  }
  // (?<=https?://) URL_VALID_UNICODE_DOMAIN_NAME (gTLD | ccTLD): one label of anything but punctuation and
  // spaces. (URL_VALID_DOMAIN's other alternatives never match where the ones here fail.)
  if ((d >= 7 && ci_equal(s + d - 7, "http://")) || (d >= 8 && ci_equal(s + d - 8, "https://"))) {
    size_t t = d;
    bool first = false, last = false;
    while (t < n) {
      const Decoded c = decode(s + t, s + n);
      const bool unicode_char = is_unicode_domain_char(c.cp);
      if (!unicode_char && c.cp != '-') break;
      if (t == d) first = unicode_char;
      last = unicode_char;
      t += c.len;
    }
    if (t > d && first && last && t < n && s[t] == '.') return match_tld(s, n, t + 1, false);
  }
  return npos;
}

// The rest of VALID_URL from p, where its preceding-character group has matched: protocol, domain, port,
// path, query. Everything after the domain is optional, so the first domain the regex would find decides the
// match.
bool TextExtractor::match_url(const u8* s, size_t n, size_t p, UrlMatch& m) {
  if (p >= n) return false;
  // Every alternative starts with a letter or digit ('h' of the protocol, a domain label), a Latin accented
  // letter, or follows "//" (a Unicode host after the protocol): reject the rest at once.
  const bool may_start = s[p] < 0x80 ? has(s[p], kAlnum) : is_latin_accent(decode(s + p, s + n).cp);
  if (!may_start && !(p >= 2 && s[p - 1] == '/' && s[p - 2] == '/')) return false;
  size_t d = p, de = npos;
  if (ci_prefix(s + p, n - p, "https://")) {
    d = p + 8;
  } else if (ci_prefix(s + p, n - p, "http://")) {
    d = p + 7;
  }
  if (d != p) de = match_domain(s, n, d);
  const bool protocol = de != npos;
  if (!protocol) {
    d = p;
    de = match_domain(s, n, p);
    if (de == npos) return false;
  }
  size_t e = de;
  if (e + 1 < n && s[e] == ':' && has(s[e + 1], kDigit)) {  // port
    e += 2;
    while (e < n && has(s[e], kDigit)) ++e;
  }
  if (e < n && s[e] == '/') e = match_path(s, n, e + 1);
  if (e < n && s[e] == '?') e = match_query(s, n, e);
  m = {p, e, d, de, protocol};
  return true;
}

void TextExtractor::urls(std::string_view text, std::vector<TextEntity>& out) {
  out.clear();
  const auto* s = reinterpret_cast<const u8*>(text.data());
  const size_t n = text.size();
  if (n == 0 || !std::memchr(s, '.', n)) return;  // every host has a '.'
  Cursor cursor(s, n);
  UrlMatch m;
  for (size_t k = 0; k < n;) {
    // VALID_URL's preceding group: the character at k, then the URL; at the very start also the URL alone
    // (tried second, as the alternation is ordered).
    const Decoded c = decode(s + k, s + n);
    const bool may_precede = !ascii_has(c.cp, kNotUrlBefore) && c.cp != 0xFF20 && c.cp != 0xFF03 &&
                             c.cp != 0xFFFE && c.cp != 0xFEFF && c.cp != 0xFFFF;
    bool found = may_precede && match_url(s, n, k + c.len, m);
    if (!found && k == 0) found = match_url(s, n, 0, m);
    if (!found) {
      k += c.len;
      continue;
    }
    k = m.end;  // the next search starts after the match, even when the match is dropped below
    if (!m.protocol && m.start > 0 && std::memchr("-_./", s[m.start - 1], 4)) continue;
    size_t end = m.end;
    if (m.protocol && ci_prefix(s + m.domain_start, m.end - m.domain_start, "t.co/")) {
      // VALID_TCO_URL: a t.co link is its slug and query only; a slug over 40 characters is no link at all.
      const size_t slug = m.domain_start + 5;
      size_t e = slug;
      while (e < m.end && has(s[e], kAlnum)) ++e;
      if (e > slug) {
        if (e - slug > 40) continue;
        end = e < m.end && s[e] == '?' ? match_query(s, m.end, e) : e;
      }
    }
    if (!valid_host_and_length(s, m, end)) continue;
    const uint32_t start = cursor.at(m.start);
    out.push_back({text.substr(m.start, end - m.start), start, cursor.at(end)});
  }
}

}  // namespace trendtop
