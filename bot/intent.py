"""What a question asks for, read from its form (not its topic): a value, a department, document facts,
the document's outline or basis, a list of measures, an amount of money, or an attempt to change the rules.

Retrieval and answering both read it, so it sits below both."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FLAGS = re.IGNORECASE

INJECTION = re.compile(
    r"ignore (?:all |your |the |previous |prior |above )*(?:rules|instructions|prompts?)|disregard (?:your|the|all|previous)|"
    r"system prompt|hidden (?:config|prompt|instruction)|reveal (?:your|the) (?:prompt|config|instructions|rules)|"
    r"developer mode|jailbreak|\bDAN\b|pretend (?:you are|to be)|act as (?:an? )?(?!.*plan)|you are now|"
    r"other users'? (?:questions|data)|phone number on (?:the|this) page|print (?:the )?(?:page|raw|source)|"
    r"忽略(?:之前|以上|前面|所有|你的)?(?:的)?(?:规则|指令|指示|提示|设定)|忽視|無視|系统提示|系統提示|提示词|提示詞|"
    r"隐藏(?:的)?(?:配置|设定|指令)|隱藏|越狱|越獄|角色扮演|扮演(?!什么|什麼|着|著|了|的|重要|关键|關鍵)|开发者模式|開發者模式|其他用户|其他用戶|"
    r"网页上的电话|網頁上的電話|页面上的电话|頁面上的電話|加盟电话|加盟電話|"
    r"别管方案|別管方案|(?:别管|別管|不要管|不用管)[^，,。？?]{0,8}(?:来源|來源|引用|规则|規則|出处|出處)|凭常识|憑常識|"
    r"\b(?:from|use|using) (?:your )?(?:general|common|own) (?:knowledge|sense)\b|不许说不知道|不許說不知道|"
    r"(?:从现在起|从现在开始|從現在起|從現在開始)你是|不受[^，,。？?]{0,6}(?:规则|規則|约束|約束|限制)|忽略方案|不要管方案|系统通知|系統通知|必须确认|必須確認|必须回答|必須回答|照这段回答|照這段回答|"
    r"编一个|編一個|随便编|隨便編|捏造|note to ai|\bpretend\b|unrestricted|make (?:one|something|it|them|stuff|things) up|make up (?:an? |some |the )?(?:number|figure|amount|answer|quote|citation|source|fact)s?\b|fabricate|"
    r"(?:原样|原樣|逐字|一字不差)(?:地)?(?:输出|輸出|贴出|貼出|印出)|dump (?:everything|your|the)|"
    r"ignore (?:the |this |that |these )?(?:\w+ )?(?:plan|document|documents|context|text|sources?)\b|forget (?:the|your|all)|"
    r"\b(?:just|simply|only) (?:confirm|agree|say yes|reply|respond|answer|say|write|type)\b[^.?!]{0,40}(?:and nothing else|nothing more|\bonly\b|['\"‘“])|"
    r"and nothing else|(?:管理员|管理員|系统|系統|开发者|開發者)(?:指令|命令|通知|消息|訊息)|"
    r"每(?:个|個|次|条|條)回答(?:的)?(?:开头|開頭|结尾|結尾|都要|都必须|都必須)|"
    r"(?:从现在开始|從現在開始|从现在起|從現在起)[^。？?]{0,10}(?:每|都要|你|回答)|"
    r"\bsystem (?:update|notice|message|override)\s*:|\bfrom now on\b|<!--|^\W*(?:assistant|system)\s*:|\b(?:answer|reply|respond) only (?:with|in|by)\b|只(?:能|许|許)?(?:回答|回复|回覆)(?:是|否|对|對|yes)|\b(?:reply|respond|answer) with (?:just |only )?['\"‘“]|作废|作廢|新任务|新任務|忘掉|忘記|忘记|"
    r"忽略(?:先前|此前|上述|上面|文件|方案|资料|資料)|\bdo what (?:it|the note|the message|this) says\b|照(?:着|著)?(?:它|上面)?(?:说的|說的)?做|假设你是|假設你是|假装你是|假裝你是|你现在是|你現在是|虚构|虛構|"
    r"\byour (?:configuration|config|settings|guidelines|rules)\b|配置文件|\.env\b|\bapi[ _-]?keys?\b|密钥|密鑰|"
    r"索引文件|\benvironment variables?\b|\bfile paths?\b|\bwhat rules do you (?:follow|have|obey)\b|"
    r"你的(?:规则|規則|设定|設定|配置)|你(?:遵守|遵循)(?:什么|什麼|哪些)(?:规则|規則)|"
    r"instructions (?:were )?you (?:were )?given|your (?:initial |original )?instructions|new instructions?\b|from (?:your|the) developers?|"
    r"忽略.{0,6}(?:要求|规则|規則|指令|指示|限制|设定|設定)|"
    r"网页|網頁|页面上|頁面上|栏目|欄目|web ?page|website|"
    r"(?:请|請)以(?:它|此|这份|這份|下文|以下|该文件|該文件)(?:为|為)准|(?:补充|補充)(?:文件|条款|條款|通知)[^。？?]{0,12}(?:为准|為準|据此|據此)|"
    r"不要(?:提及|提到|引用|显示|顯示)(?:原文|方案|出处|出處)|新指令|新指示|(?:从现在开始|從現在開始|从现在起|從現在起)(?:你)?只|(?:只|只能)回答[“\"「]|"
    r"无限制模式|無限制模式|进入角色|進入角色|(?:不需要|不用|不要|无需|無需)(?:再)?(?:引用|注明出处|註明出處|给出处|給出處)|"
    r"without (?:any )?(?:citations?|sources?|quoting)|(?:don't|do not|no need to) (?:cite|quote)|"
    r"print (?:everything|all) (?:above|before)|everything above this|"
    r"\bother (?:people|users|visitors|customers)(?:'s)? (?:have )?(?:asked|questions|queries|conversations|chats)\b|"
    r"\b(?:questions|queries) (?:that )?other (?:people|users) (?:have )?asked\b|(?:别人|別人|其他人)(?:问|問)(?:过|過|了)|"
    r"\bas the (?:site |system |website )?(?:administrator|admin|owner|developer)\b|\bi (?:hereby )?authori[sz]e you\b|"
    r"\bturn off (?:the |your )?(?:citation|rules|checks|verification|filters?)|\bconfirm by (?:replying|saying|writing)\b|"
    r"(?:关闭|關閉)(?:引用|规则|規則|校验|校驗)|那位用户|那位用戶|其他使用者|别的用户|別的用戶|ip ?位址|ip地址",
    _FLAGS,
)
UNITS = re.compile(
    r"责任单位|責任單位|负责|負責|牵头|牽頭|哪些部门|哪个部门|哪個部門|哪些部門|主管部门|主管部門|找哪个|找哪個|"
    r"responsib|in charge|which (?:[a-z-]+ )?(?:department|agenc|office|bod|unit|authorit|bureau)|who (?:handles|is responsible|leads|runs|implements)",
    _FLAGS,
)
# What a named department is given to do ("海关参与了哪几条？", "What is the Commerce Bureau responsible for?").
DUTIES = re.compile(
    r"负责(?:哪些|哪几|哪幾|哪一|什么|什麼|啥)|負責(?:哪些|哪幾|哪一|什麼|啥)|参与|參與|承担|承擔|牵头(?:哪些|了哪|什么)|牽頭(?:哪些|了哪|什麼)|"
    r"有(?:哪些|什么|什麼)?(?:任务|任務|分工|工作)|(?:在|于|於|是)哪(?:一|几|幾|些)?(?:条|條|项|項)|出现在|出現在|"
    r"\b(?:involved|assigned|tasked)\b|\brole\b|\btasks?\b|\bwhich measures?\b|\bresponsible for (?:what|which)\b|"
    r"\bwhat (?:is|are|does|do) (?:the )?[^?]{0,60}\b(?:responsible for|in charge of|do under|have to do)\b",
    _FLAGS,
)
# The departments are what is asked ("负责单位有哪些"), not what a named department does ("是哪几条的责任单位").
ASKS_FOR_UNITS = re.compile(
    r"(?:责任单位|責任單位|负责单位|負責單位|主管部门|主管部門)(?:有|是|都有)?(?:哪些|哪个|哪個|哪几|哪幾|谁|誰)|"
    r"哪些部门|哪个部门|哪個部門|哪些部門|哪些单位|哪些單位|\bwhich (?:[a-z-]+ )?"
    r"(?:departments?|agenc|offices?|bodies|units?|authorit|bureaus?)|\bwho (?:handles|is responsible|leads|runs)",
    _FLAGS,
)
VALUE = re.compile(
    # 几个 asks "how many" only in a question clause (厦门有几个示范区？), not as "a few" (手上有几个专利，…).
    r"(?:几|幾)(?:家|个|個|人)[^，,。；;！!]{0,10}(?:[？?]|$)|多少|目标值|目標值|预期值|預期值|基期|指标|指標|数量|數量|量是|达到|達到|"
    r"how (?:many|much)|target|expected (?:number|value|level)|baseline|indicator|figure|(?<!high-)(?<!high )\bvalues?\b",
    _FLAGS,
)
META = re.compile(
    r"文号|文號|字号|字號|发文|發文|印发|印發|哪天|哪一天|哪一日|什么时候|什麼時候|何时|何時|日期|有效期|还有效|還有效|仍然有效|期限|起止|"
    r"谁发|誰發|是谁发|是誰發|完整名称|完整名稱|全称|全稱|\bfull (?:name|title)\b|\bofficial (?:name|title)\b|"
    r"still (?:in effect|valid|in force|apply)|valid|expire|in force|repeal|abolish|document number|reference number|issued|when (?:was|did|does)|"
    r"废止|廢止|失效|作废了|作廢了|"
    r"who issued|which (?:government|authority) issued|(?:what|which) (?:is the )?(?:time )?period|period (?:does|of validity|covered)|"
    r"how long does (?:the|this) plan",
    _FLAGS,
)
AMOUNT = re.compile(
    r"多少钱|多少錢|多少万|多少萬|多少元|金额|金額|补贴多少|補貼多少|补助多少|補助多少|奖励多少|獎勵多少|万元|萬元|"
    r"预算(?:是|有)?多少|預算(?:是|有)?多少|总预算|總預算|总经费|總經費|\btotal budget\b|\bbudget (?:is|of|for) (?:the|this)\b|how much (?:money|cash|funding|subsid)|\bamount\b|\brmb\b|\byuan\b|million|\bcash\b|grant of",
    _FLAGS,
)
CONTACT = re.compile(
    r"电话(?:号码|號碼|是多少|多少|是几|是幾)|電話(?:號碼|是多少|多少|是幾)|联系电话|聯繫電話|聯絡電話|咨询电话|諮詢電話|"
    r"打(?:什么|什麼|哪个|哪個)电话|打(?:什么|什麼|哪个|哪個)電話|热线|熱線|手机号|手機號|邮箱|郵箱|地址|办公地点|辦公地點|"
    r"办公时间|辦公時間|上班时间|上班時間|网址|網址|\burl\b|\bweb ?address\b|\bwebsite (?:address|link)\b|"
    r"\b(?:the|your|its|their|office|street|postal|mailing|physical|full) address(?:es)?\b|\baddress(?:es)? (?:of|for)\b|office hours|opening hours|e-?mail(?: address)?\b|"
    r"(?:phone|telephone|hotline|fax|mobile) (?:number|no\b)|\bwhat(?:'s| is) the (?:hotline|phone)\b|"
    r"\bhow (?:can|do) (?:i|we) (?:call|phone|reach|contact)\b|\bcontact (?:number|details|information|info)\b|\d{3}-\d{4}-\d{4}",
    _FLAGS,
)
SUBSIDY = re.compile(
    r"补贴|補貼|补助|補助|资助|資助|奖励|獎勵|奖金|獎金|预算|預算|经费|經費|拨款|撥款|补多少|補多少|专项资金|專項資金|财政资金|財政資金|"
    r"subsid|reward|bonus|cash|budget|\bfunded\b|funding for|(?:per|for (?:every|each)) (?:granted )?(?:invention )?patent|每件|每家",
    _FLAGS,
)
LIST = re.compile(
    r"哪些措施|哪些政策|哪些支持|哪几条|哪幾條|哪些条|哪些條|哪几项|哪幾項|which (?:clauses|articles|parts of the plan)|哪些优惠|哪些優惠|哪些扶持|可以关注|可以關注|有什么支持|有什麼支持|有哪些|"
    r"what (?:is there|support|measures|help|programmes|programs)|which measures|any (?:support|measures|help)",
    _FLAGS,
)
# Who issued the document, when, under which number: its issuing notice answers that.
ISSUANCE = re.compile(
    r"文号|文號|字号|字號|发文|發文|印发|印發|哪天发|哪天發|谁发|誰發|是谁发|是誰發|发的|發的|"
    r"(?:方案|文件|通知|这份|這份|本)[^，,。？?]{0,6}(?:发布|發布|颁布|頒布)|(?:发布|發布|颁布|頒布)(?:的)?(?:日期|时间|時間|单位|單位|机关|機關)|"
    r"(?:谁|誰|哪个部门|哪個部門|何时|何時|什么时候|什麼時候|哪天|哪一天)(?:发布|發布|颁布|頒布)|"
    r"\bissued\b|\bissuer\b|document number|reference number|who (?:issued|published|released)|"
    r"when was (?:the|this) (?:plan|document|notice) (?:issued|published|released)",
    _FLAGS,
)
# How the document is divided: its parts or chapters, not what a part says.
OUTLINE = re.compile(
    r"章节|章節|目录|目錄|大纲|大綱|"
    r"(?:方案|文件|全文|正文|条例|條例|办法|辦法)[^，,。？?]{0,8}(?:结构|結構|架构|架構|框架)|"
    r"(?:几|幾)(?:个|個|大)?(?:部分|部份|板块|板塊)|(?:部分|部份)(?:组成|組成|构成|構成)|"
    r"(?:分为|分成|分為|包括|包含|共有)哪些(?:部分|部份|板块|板塊)|"
    r"(?:plan|document|regulation)(?:'s)? structure|structure of (?:the|this) (?:plan|document|regulation)|"
    r"how is (?:the|this) (?:plan|document|regulation) structured|\bhow (?:are|is) (?:they|the measures|it) (?:grouped|organi[sz]ed|structured|arranged)\b|\boutline\b|table of contents|\bchapters\b|main (?:parts|sections)|"
    r"what (?:parts|sections) does|what are the (?:\w+ )?(?:main )?(?:parts|chapters|sections)(?: of (?:the|this) "
    r"(?:plan|document|regulation))?(?!\s+(?:that|which|relevant|about|on|dealing|mentioning|concerning|for))|"
    r"how many (?:parts|chapters|sections|measures)|headings? of (?:each|every|all|the) (?:parts?|chapters?)|"
    r"(?:一共|总共|總共|共)(?:有)?(?:多少|几|幾)(?:条|條|项|項)|how is (?:the|this) (?:plan|document|regulation) (?:organi[sz]ed|divided|laid out)",
    _FLAGS,
)
# Why and on what authority the document was made: its enacting formula answers that.
BASIS = re.compile(
    r"依据|依據|根据什么|根據什麼|根据哪|根據哪|上位|为了落实|為了落實|落实哪些|落實哪些|贯彻哪些|貫徹哪些|"
    r"(?:制定|訂定|前言|开头|開頭|序言)[^？?]{0,12}(?:按照|依照|遵照)[^，,。？?]{0,8}(?:什么|什麼|哪)|"
    r"(?:按照|依照|遵照)[^，,。？?]{0,8}(?:什么|什麼|哪)[^，,。？?]{0,8}(?:制定|訂定)|为什么制定|為什麼制定|为何制定|為何制定|制定(?:的)?(?:目的|背景)|"
    r"\bbasis\b|based on|\bimplement(?:s|ing)? which|meant to implement|higher-level (?:documents?|plans?|policies)|"
    r"\bwhich (?:documents|plans|policies|strategies) (?:does|is) (?:the|this) (?:\w+ )?plan (?:say it )?(?:is )?implement|"
    r"why (?:was|did|were) [^?]{0,40}(?:made|drawn up|issued|written|adopted)",
    _FLAGS,
)
# How long the document applies: the sentence with its date range answers that.
PERIOD = re.compile(
    r"有效期|还有效|還有效|仍然有效|是否有效|期限|起止|实施期|實施期|到期|过期|過期|"
    r"开始实施|開始實施|何时实施|何時實施|什么时候实施|什麼時候實施|什么时候开始|什麼時候開始|起始时间|起始時間|"
    r"涵盖(?:哪|几|幾)|涵蓋(?:哪|几|幾)|哪几年|哪幾年|\bwhich years (?:does|do|is) (?:the|this|it)\b|\bwhat years\b|"
    r"(?:方案|计划|計劃|文件|示范期|示範期|工作期)[^，,。？?]{0,6}(?:多久|多长时间|多長時間|几年|幾年)|"
    r"still (?:in effect|valid|in force|apply|applies)|\bexpire|in force|\bvalid(?:ity)?\b|\bperiod\b|how long|"
    r"how many years (?:does|is|will) (?:the|this) (?:plan|document)",
    _FLAGS,
)
# Kinds of information a question can ask for that a policy text may or may not contain: how to do
# something, how long it takes, what legal effect something has, a minimum or maximum. A question of one of
# these kinds is answered only by a sentence of that kind (bot.answer.evidence.REQUEST_EVIDENCE).
_ASKER = (
    r"(?:i|we|you|one|they|an? (?:[\w-]+ )?(?:company|firm|business|startup|foreigner|seller|owner|applicant|inventor|"
    r"university|publisher|agent)|(?:[\w-]+ )?(?:companies|firms|businesses|sellers|owners|applicants|inventors))"
)
# "至少要达到多少", "the fee-income target": questions about one of table 1's targets, not a threshold or fee
# of their own.
_NOT_TARGET = (
    r"^(?!(?s:.)*(?:目标|目標|指标|指標|预期|預期|达到|達到|target|indicator|expected|goal))(?s:.)*?"
)
REQUESTS: dict[str, re.Pattern[str]] = {
    "procedure": re.compile(
        r"(?:怎么|怎麼|怎样|怎樣|如何|要怎|该怎|該怎)(?:去|来|來|才能|才可以|才会|才會)?"
        r"(?:申请|申請|办理|辦理|办|辦|报名|報名|申报|申報|提交|登记|登記|备案|備案|转过去|轉過去|领取|領取|兑现|兌現|"
        r"认定|認定|认可|認可|执行|執行|操作|放款|移出|撤销|撤銷|申诉|申訴|解除|恢复|恢復|更正|提出异议|提出異議|复议|復議)|"
        r"(?:申请|申請|办理|辦理|申报|申報)(?:的)?(?:流程|程序|手续|手續|步骤|步驟)|流程|步骤|步驟|手续|手續|"
        r"(?:哪些|什么|什麼|啥)(?:材料|证件|證件|证明|證明)|(?:准备|準備|提交|提供)[^，,。？?]{0,4}(?:材料|资料|資料|文件)|"
        rf"\bhow (?:do|can|should|would|could|does|will) {_ASKER} (?:go about )?"
        r"(?:apply|register|file|submit|claim|enrol|enroll|sign up|convert|transfer|report|complain|appeal|lodge)\b|"
        r"\bhow to (?:apply|register|file|submit|claim|enrol|enroll)\b|application (?:process|procedure|steps|form)s?|"
        r"\bprocedures?\b|step[- ]by[- ]step|\b(?:what|which) (?:documents|paperwork|forms)\b|\bpaperwork\b|"
        r"(?:去|到|在)?(?:哪里|哪裡|哪儿|哪兒|何处|何處)(?:办|辦|申请|申請|领|領|交|报名|報名)|"
        r"(?:哪个|哪個)(?:窗口|网站|網站|地方|大厅|大廳)|(?:要|得|该|該)?去哪(?:里|裡|儿|兒)?(?=[？?。，,]|$)|"
        r"\bwhere (?:do|can|should|would) (?:i|we|you|one) (?:apply|register|file|submit|go to apply)\b",
        _FLAGS,
    ),
    "duration": re.compile(
        r"多久|多长时间|多長時間|多少天|多少个工作日|多少個工作日|多少个月|多少個月|"
        r"(?:几|幾)(?:个|個)?(?:工作日|天|周|週|星期|月)|"
        r"周期|週期|时限|時限|几年|幾年|多少年|\bhow long\b|processing time|turnaround|"
        r"how (?:many|much) (?:working |business |calendar )?(?:days|weeks|months|years|time)|"
        r"how (?:quickly|soon|fast)\b",
        _FLAGS,
    ),
    "legal_effect": re.compile(
        r"有效吗|有效嗎|有效力|效力|承认|承認|认可|認可|(?:能|可以)(?:直接)?(?:通用|沿用)|"
        r"\brecogni[sz](?:e|es|ed|ing)\b|\benforceab|\bbe enforced\b|legally binding|legal effect|"
        r"\bvalid (?:in|on|outside|across|for use)\b|(?:算不算|受不受)受?(?:到)?(?:保护|保護)|\bprotected in\b",
        _FLAGS,
    ),
    "threshold": re.compile(
        _NOT_TARGET + r"(?:最低|最少|门槛|門檻|下限|上限|最高(?!人民|法院)|最多|"
        r"\bminimum\b|\bmaximum\b|\bthreshold\b|\bcap (?:on|for)\b|\bat most\b)",
        _FLAGS,
    ),
    "rate": re.compile(
        _NOT_TARGET
        + r"(?:收费|收費|费用|費用|规费|規費|官费|官費|年费|年費|费率|費率|利率|利息|贴息|貼息|折扣|指导价|指導價|"
        r"[\u4e00-\u9fff][费費](?=是|要|大概|大約|大约|一般|怎么|怎麼|多少|标准|標準|如何|有没有|有沒有)|"
        r"优惠幅度|優惠幅度|比例|百分之|几倍|幾倍|倍数|倍數|多少倍|\bfees?\b|how much does it cost|what does it cost|"
        r"interest rates?|\brates?\b|\bratios?\b|loan-to-value|\bdiscounts?\b|\bpercentage|per ?cent\b|\bmultiplier|how many times|"
        r"(?:what|which|how much) ?(?:%|％)|百分之几|百分之幾|罚款|罰款|罚多少|罰多少|\bfines?\b|\bpenalt(?:y|ies) (?:amount|of)\b|"
        r"(?:要|需要|得|收)(?:花)?多少(?:钱|錢)|规模(?:有)?多大|規模(?:有)?多大|多大(?:的)?规模|多大(?:的)?規模|"
        r"\bhow (?:big|large) is (?:the|its)\b|\bhow (?:big|large) is [^?]{0,40}\b(?:fund|budget)\b|\bsize of the (?:fund|budget)\b|"
        r"\bwhat (?:are|is|would be) the (?:penalt(?:y|ies)|fines?|sanctions?)\b|怎么处罚|怎麼處罰|如何处罚|如何處罰|处罚标准|處罰標準)",
        _FLAGS,
    ),
    # Whether a service costs anything at all ("是公益还是收费"): answered by a clause that says it is free.
    "charge": re.compile(
        r"(?:是否|是不是|要不要|收不收|会不会|會不會)(?:收费|收費|免费|免費)|免费(?:吗|嗎|的吗|的嗎|的还是|的還是)|免費(?:嗎|的嗎|的還是)|"
        r"(?:公益|免费|免費)(?:的)?(?:还是|還是)(?:收费|收費)|\bfree of charge\b|\bis (?:it|this|that|the [\w -]{1,30}) free\b|"
        r"\bfree or (?:paid|charged)\b",
        _FLAGS,
    ),
    "conditions": re.compile(
        r"(?:认定|認定|评定|評定|申请|申請|准入|入选|入選|资格|資格|享受|验收|驗收|评价|評價|评选|評選)(?:的)?(?:具体)?(?:标准|標準|条件|條件)|"
        r"(?:符合|满足|滿足|具备|具備|达到|達到)(?:哪些|什么|什麼|啥)(?:条件|條件|要求|标准|標準)|"
        r"(?:哪些|什么|什麼|啥)(?:条件|條件|资格|資格|门槛|門檻)|(?:要|需要)?考(?:什么|什麼|哪些)|考试|考試|"
        r"考[^，,。？?]{0,12}(?:资格|資格)|(?:资格|資格)(?:吗|嗎|证|證)|"
        r"\beligib|\bqualif(?:y|ies|ied|ication)|\bcriteria\b|\bexams?\b|"
        r"requirements? (?:for|to) (?:apply|qualify|get|be|become)\b|"
        r"\bcan (?:a|an) [^?]{0,50}\bbe the (?:lead |principal |main )?(?:applicant|holder|leader|head|owner)\b",
        _FLAGS,
    ),
    "date": re.compile(
        r"截止|截至(?:日期|时间|時間)|几月几号|幾月幾號|几点|幾點|上班时间|上班時間|开门|開門|营业时间|營業時間|办公时间|辦公時間|"
        r"\b(?:opening|office|business) hours\b|\bopen on (?:weekends|saturdays?|sundays?)\b|几月几日|幾月幾日|在哪(?:里|裡)?(?:举办|舉辦|举行|舉行)|"
        r"\bwhere (?:is|will|was) [^?]{0,40}\bheld\b|申请期|申請期|报名时间|報名時間|下一(?:场|場|次|期|届|屆|轮|輪|批)|几号|幾號|"
        r"\bdeadline|due date|\bcut-?off\b|\bnext (?:event|session|round|edition|batch|call)\b|"
        r"\bwhen (?:can|should|do|must) (?:i|we|companies|firms) (?:apply|register|submit|sign up)|"
        r"\bwhen is the (?:application|filing|registration)",
        _FLAGS,
    ),
    # "Must foreign firms…?", "方案要求必须…": a duty. A plan that encourages and supports imposes none.
    "obligation": re.compile(
        r"必须|必需|强制|強制|一定要|硬性|义务|義務|非得|"
        r"\bmust\b|\bobliged\b|\bobligat\w*|\bmandatory\b|\bcompulsory\b|\bha(?:ve|s) to\b|\brequired to\b|"
        r"\brequires? (?:(?:all|every|each|foreign|local|taiwan(?:ese)?|the|our|their|overseas) )*"
        r"(?:companies|firms|enterprises|businesses|applicants|investors)\b",
        _FLAGS,
    ),
    # What came of the work: results, completion, evaluations after the fact. A plan states intentions.
    "outcome": re.compile(
        r"实际完成|實際完成|进展如何|進展如何|结果如何|結果如何|效果如何|成效如何|"
        r"评估结果|評估結果|考核结果|考核結果|验收结果|驗收結果|\bwhat were the (?:results|outcomes)\b|"
        r"\b(?:results?|outcomes?|findings) of the (?:20\d\d|annual|mid-term|midterm|final|last|latest)\b|"
        r"后来|後來|成立了(?:吗|嗎|没有|沒有)|(?:出台|出臺|发布|發布|印发|印發|修订|修訂|公布)了(?:吗|嗎|没有|沒有)|(?:建成|设立|設立|挂牌|掛牌)了(?:吗|嗎|没有|沒有)|"
        r"哪(?:一)?年(?:正式|开始|開始|首次)?(?:挂牌|掛牌|成立|建成|设立|設立|落户|落戶|启用|啟用|开通|開通)|已经(?:挂牌|掛牌|成立|建成|设立|設立)|已經(?:掛牌|成立|建成|設立)|"
        r"\bdid (?:xiamen|the city|the plan|it)(?: actually| really| ever| finally| eventually)? "
        r"(?:pass|achieve|meet|reach|get|win|complete|hit)\b|"
        r"\bhow did [^?]{0,60}\b(?:go|turn out|perform|do)\b|\bwas [^?]{0,60}\b(?:achieved|met|completed)\b",
        _FLAGS,
    ),
    # Who exactly: names of particular banks, firms or funds' holdings, which no policy text lists.
    "named_parties": re.compile(
        r"哪(?:几|幾)?家(?:银行|銀行|公司|企业|企業|律所|机构|機構)|(?:银行|銀行|公司|企业|企業|律所)有哪(?:些|几家|幾家)|"
        r"投了哪些|投資了哪些|投资了哪些|哪些(?:银行|銀行)|(?:入选|入選|获批|獲批|参与|參與|投资|投資)[^，,。？?]{0,12}哪些(?:公司|企业|企業)|名单|名單|现任|現任|(?:局长|局長|主任|处长|處長|负责人|負責人|院长|院長|市长|市長)是(?:谁|誰)|编制|編制|(?:局长|局長|主任|处长|處長|负责人|負責人|领导|領導|院长|院長)叫(?:什么|什麼)名字|"
        r"哪(?:几|幾)?家[\u4e00-\u9fff]{0,6}(?:公司|银行|銀行|机构|機構)(?:在管|管理|负责|負責|承办|承辦)|"
        r"哪位(?:处长|處長|局长|局長|科长|科長|领导|領導|官员|官員|专家|專家|工作人员|工作人員)|"
        r"\bwho (?:currently|now) (?:heads|leads|runs|directs|is)\b|\bwhich (?:\w+ ){1,2}(?:banks|lenders|insurers)\b|\bwhich (?:\w+ ){0,2}(?:law firms?|lawyers?|attorneys?|agents?)\b|\bwho is (?:currently|now) the\b|"
        r"\bwho is the (?:current|present|new) \w+|\blist of (?:the )?(?:companies|firms|enterprises|banks)\b|"
        r"\blist (?:the |all )?(?:\w+ ){0,2}(?:companies|firms|enterprises|banks)\b|"
        r"\bwhich (?:\w+ ){0,2}(?:companies|firms|enterprises) (?:became|were named|have been named|got|received|won)\b|\bwhich (?:specific |particular )?(?:banks|companies|firms|law firms|lenders|insurers)\b|"
        r"\bnames? of (?:the )?(?:banks|companies|firms|lenders|insurers)\b",
        _FLAGS,
    ),
    # Who wrote the document and how it was drafted: a policy text does not record its own drafting.
    "drafting": re.compile(
        r"执笔|執筆|起草(?:人|者|过程|過程|经过|經過|单位|單位)|谁(?:起草|撰写|写的)|誰(?:起草|撰寫|寫的)|"
        r"征求(?:过|了)?[^，,。？?]{0,8}意见|徵求(?:過|了)?[^，,。？?]{0,8}意見|"
        r"\bwho (?:drafted|wrote|authored)\b|\bdrafting (?:process|team|history)\b|\bconsulted\b",
        _FLAGS,
    ),
    # Which law governs: a policy names the laws it implements, not the law for the asker's situation.
    "law": re.compile(
        r"哪部法律|哪一部法律|哪条法律|哪條法律|依据(?:的)?(?:是)?哪部|依據(?:的)?(?:是)?哪部|法律依据是|法律依據是|"
        r"\bwhich (?:law|statute|act)\b|\bwhat (?:law|statute)\b|\bunder which (?:law|statute)\b",
        _FLAGS,
    ),
    # What a term means where the documents define nothing: "what counts as a high-value patent".
    "definition": re.compile(
        r"什么算|什麼算|怎样才算|怎樣才算|怎么界定|怎麼界定|如何界定|界定标准|界定標準|定义是|定義是|的定义|的定義|"
        r"\bwhat (?:exactly )?counts as\b|\bdefinition of\b|\bhow (?:is|are) [^?]{0,40}\bdefined\b|\bwhat qualifies as\b",
        _FLAGS,
    ),
    # A view of the policy rather than what it says: "is this a good policy", "你觉得值不值得".
    "opinion": re.compile(
        r"你(?:觉得|覺得|认为|認為|怎么看|怎麼看)|好不好|值不值得|靠不靠谱|靠譜嗎|靠谱吗|评价一下|評價一下|"
        r"\bin your (?:opinion|view)\b|\bdo you (?:think|believe|recommend)\b|\bwhat do you think\b|"
        r"\bis (?:this|it|the plan) (?:a )?(?:good|bad|effective|worth)\b|\bworth it\b",
        _FLAGS,
    ),
    # What will happen after the plan: a plan states its own period, not its successor.
    "future": re.compile(
        r"会不会(?:再)?(?:延续|延長|延长|继续|繼續|出台|推出|出)|會不會(?:再)?(?:延續|延長|繼續|出臺|推出|出)|"
        r"(?:到期|结束|結束|届满|屆滿)(?:以|之)?(?:后|後)[^。？?]{0,12}(?:会|會|还|還|有|再)|"
        r"下一(?:轮|輪|期)(?:方案|计划|計劃|政策)|接替|取代|"
        r"\bwill (?:xiamen|the (?:city|plan|government)|it|there be)\b[^?]{0,60}\b(?:after|beyond|extend|renew|replace|continue|successor)|"
        r"\bafter (?:it|the plan|this plan) (?:expires|ends|runs out)\b|\bfollow[- ]up (?:[\w-]+ ){0,4}(?:plan|programme|program|policy|strategy)\b|"
        r"后续(?:方案|计划|政策)|後續(?:方案|計劃|政策)|\bwhat (?:will|comes) (?:replace|after|next)\b|\bsuccessor\b",
        _FLAGS,
    ),
    # The asker's own case: whether something infringes, whether they would win, what damages they would get.
    "advice": re.compile(
        r"(?:是否|是不是|有没有|有沒有|算不算|会不会|會不會)(?:构成|構成|属于|屬於)?(?:侵权|侵權)|侵(?:权|權)了(?:吗|嗎)|"
        r"(?:告|起诉|起訴)(?:得|的)?(?:赢|贏)|胜诉|勝訴|胜算|勝算|(?:能|会|會)(?:赢|贏)|能赔|能賠|赔多少|賠多少|"
        r"\binfring(?:es|ing)? (?:on )?(?:my|our)\b|\b(?:does|do|is|are) (?:my|our|their|his|her|the competitor'?s?) [^?]{0,40}\binfring|"
        r"责任(?:怎么|怎麼|如何)(?:约定|約定|划分|劃分|承担|承擔|认定|認定)|谁(?:来)?承担(?:责任|賠償|赔偿)|"
        r"该不该|該不該|应不应该|應不應該|给(?:我)?(?:一个|個)?(?:明确的|明確的)?建议|給(?:我)?(?:一個)?(?:明確的)?建議|"
        r"\bshould (?:i|we) (?:sell|buy|sue|sign|accept|license|invest|move|choose|settle|relocate|file|apply|register|go|use|pick|opt)\b|"
        r"\bwhat would you (?:advise|recommend)\b|\bwould you recommend\b|\badvise (?:me|us)\b|"
        r"\bwho is liable\b|\bliab(?:le|ility) (?:for|if|when)\b|\bconflict of interest\b|\bis there any rule stopping\b|"
        r"\b(?:can|could|should|would) (?:i|we|our (?:\w+ )?clients?|my (?:\w+ )?clients?|they) (?:still )?"
        r"(?:sue|win|enforce|claim damages|be held liable)\b|\bchances? of winning\b|\blegal advice\b|"
        r"\bis (?:it|this|that|the \w+) (?:legally )?(?:legal|illegal|enforceable|binding)\b",
        _FLAGS,
    ),
}
# The question states something as the documents' own ("听说方案规定…", "since the plan increases…"): the
# answer corrects it from the source rather than only declining.
PREMISE = re.compile(
    r"听说|聽說|据说|據說|是真的吗|是真的嗎|真的吗|真的嗎|对吧|對吧|对不对|對不對|没错吧|沒錯吧|既然|"
    r"(?:方案|文件|计划|計劃)(?:里|裡|中|上)?(?:说|說|讲|講|规定|規定|承诺|承諾|写|寫)|"
    r"\bis (?:it|that|this) true\b|\bright\?|\bcorrect\?|\bsince the plan\b|"
    r"\b(?:the|this) plan (?:says|states|provides|guarantees|promises|requires|offers|increases|cuts)\b|\bi (?:read|heard)\b",
    _FLAGS,
)
# A figure stated in a question, years (2021, 2025) and the numbers of tables and clauses (表1, 第3条) aside.
CLAIMED_NUMBER = re.compile(
    r"(?<![\d.])(?<!表)(?<!表 )(?<![Tt]able )(?<![Mm]easure )(?<![Aa]rticle )(?<![Pp]art )(?<!第)"
    r"(?!(?:19|20)\d\d(?!\d))\d+(?:[.,]\d+)?(?![\d.])(?!\s*(?:条|條|项|項|部分|章))"
)
# A sum of money stated in a question ("每件10万", "RMB 500,000", "20%"), unlike a count ("拿了3件专利").
CLAIMED_AMOUNT = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:万|萬|亿|億|千|元|块|塊|%|％|(?:million|billion|thousand|k)\b|yuan\b|rmb\b|dollars?\b)|"
    r"(?:rmb|cny|¥|\$|nt\$)\s*\d",
    _FLAGS,
)
# To whom the document is sent: its notice's addressee line (各区人民政府,…:) says so.
ADDRESSEES = re.compile(
    r"主送|发给哪些|發給哪些|发给谁|發給誰|下发给|下發給|发给了|發給了|印发给|印發給|\baddressed to\b|\baddressees\b|"
    r"\bsent to (?:which|whom|who)\b|\brecipients\b|\bto whom\b[^?]{0,80}\b(?:addressed|sent|issued|distributed)\b",
    _FLAGS,
)
# Whether the document is public: its notice's closing line (此件主动公开) says so.
PUBLICITY = re.compile(
    r"主动公开|主動公開|公开发布|公開發布|是否公开|是否公開|对外公开|對外公開|内部文件|內部文件|"
    r"有公开吗|有公開嗎|公开了吗|公開了嗎|是公开的|是公開的|\bis (?:it|the (?:plan|document|notice)) public\b|"
    r"publicly (?:disclosed|released|available)|made public|released to the public|internal only|public document",
    _FLAGS,
)
# What a measure says as a whole ("有啥安排", "具体怎么搞", "what does measure 9 say"): more of it is quoted.
OVERVIEW = re.compile(
    r"讲了什么|講了什麼|说了什么|說了什麼|写了什么|寫了什麼|讲什么|講什麼|有啥安排|有什么安排|有什麼安排|怎么搞|怎麼搞|"
    r"怎么推动|怎麼推動|如何推动|如何推動|如何推进|如何推進|怎么推进|怎麼推進|怎么做|怎麼做|如何做|要做什么|要做什麼|"
    r"怎么写的|怎麼寫的|是怎么写|是怎麼寫|怎么安排|怎麼安排|如何安排|有(?:什么|什麼|哪些)部署|"
    r"\bwhat(?:'s| is) in the (?:measure|clause|article|section|part)\b|怎么建设|怎麼建設|如何建设|如何建設|怎么开展|怎麼開展|如何开展|如何開展|"
    r"具体内容|具體內容|主要内容|主要內容|哪些举措|哪些舉措|什么举措|什麼舉措|哪些内容|哪些內容|"
    r"\bwhat does (?:the )?(?:measure|clause|article|part|section)\b[^?]*\bsay\b|\bwhat does the plan (?:say|do) (?:about|on|for|to)\b|"
    r"\bhow (?:will|does|is) (?:the plan|xiamen|the city)\b|\bwhat (?:is|are) (?:planned|the plans?|the arrangements?) for\b|"
    r"\bsummar(?:y|i[sz]e)\b|\bin full\b|\bfull text\b",
    _FLAGS,
)
FOLLOW_UP = re.compile(
    r"^(?:那|那么|那麼|还有|還有|and |what about|how about)|(?:呢[？?]?$)|\b(?:that|this|it|them|those)\b[?？]?$|"
    r"这项|這項|该措施|該措施|上面|上述|刚才|剛才",
    _FLAGS,
)

AUDIENCE_CUES: dict[str, re.Pattern[str]] = {
    "taiwan": re.compile(r"台湾|台灣|臺灣|台资|台資|台商|两岸|兩岸|闽台|閩台|taiwan|cross-strait", _FLAGS),
    "foreign": re.compile(r"外资|外資|外国|外國|海外|境外|foreign|overseas|international", _FLAGS),
    "smes": re.compile(r"中小|小微|sme|small", _FLAGS),
    "universities": re.compile(r"高校|大学|大學|院校|universit|college", _FLAGS),
    "service_agencies": re.compile(r"服务机构|服務機構|代理机构|代理機構|agency|agencies|law firm", _FLAGS),
    "industry:ic": re.compile(
        r"集成电路|積體電路|芯片|晶片|integrated circuit|semiconductor|\bic\b|chip", _FLAGS
    ),
    "industry:ai": re.compile(r"人工智能|人工智慧|\bai\b|artificial intelligence", _FLAGS),
    "industry:biomedicine": re.compile(r"生物医药|生物醫藥|生技|biomedic|pharma|biotech", _FLAGS),
    "industry:display": re.compile(r"平板显示|平面顯示|display", _FLAGS),
    "industry:new_materials": re.compile(r"新材料|new material", _FLAGS),
}
SUPPORT_CUES: dict[str, re.Pattern[str]] = {
    "financing": re.compile(
        r"融资|融資|贷款|貸款|质押|質押|保险|保險|基金|金融|financ|loan|pledge|insurance|fund", _FLAGS
    ),
    "talent": re.compile(r"人才|培训|培訓|talent|training|staff", _FLAGS),
    "international_cooperation": re.compile(r"国际|國際|金砖|金磚|brics|international|overseas", _FLAGS),
    "protection": re.compile(r"维权|維權|保护|保護|侵权|侵權|protect|infring|enforce", _FLAGS),
}


# Every cue by its tag: the same words find the audience in a question and the sentence that serves it.
CUES: dict[str, re.Pattern[str]] = {**AUDIENCE_CUES, **SUPPORT_CUES}


@dataclass(frozen=True)
class Intent:
    injection: bool
    units: bool
    value: bool
    meta: bool
    amount: bool
    subsidy: bool
    contact: bool
    listing: bool
    issuance: bool
    outline: bool
    basis: bool
    period: bool
    follow_up: bool
    audiences: tuple[str, ...]
    supports: tuple[str, ...]
    requests: tuple[str, ...] = ()
    asserts: bool = False  # says the documents say so, in words (听说方案规定…), not only a figure
    publicity: bool = False
    addressees: bool = False
    overview: bool = False
    duties: bool = False  # what a named department is to do


def _requests(question: str) -> tuple[str, ...]:
    kinds = [kind for kind, cue in REQUESTS.items() if cue.search(question)]
    if "charge" in kinds and "rate" in kinds:
        kinds.remove("rate")  # "是公益还是收费" asks whether, not how much
    return tuple(kinds)


def read_intent(question: str) -> Intent:
    return Intent(
        injection=bool(INJECTION.search(question)),
        units=bool(UNITS.search(question)),
        value=bool(VALUE.search(question)),
        meta=bool(META.search(question)),
        amount=bool(AMOUNT.search(question)),
        subsidy=bool(SUBSIDY.search(question)),
        contact=bool(CONTACT.search(question)),
        listing=bool(LIST.search(question)),
        duties=bool(DUTIES.search(question)) and not ASKS_FOR_UNITS.search(question),
        issuance=bool(ISSUANCE.search(question)),
        outline=bool(OUTLINE.search(question)),
        basis=bool(BASIS.search(question)),
        period=bool(PERIOD.search(question)),
        follow_up=bool(FOLLOW_UP.search(question.strip())) and len(question.strip()) <= 40,
        audiences=tuple(tag for tag, cue in AUDIENCE_CUES.items() if cue.search(question)),
        supports=tuple(tag for tag, cue in SUPPORT_CUES.items() if cue.search(question)),
        requests=_requests(question),
        asserts=bool(PREMISE.search(question)),
        publicity=bool(PUBLICITY.search(question)),
        addressees=bool(ADDRESSEES.search(question)),
        overview=bool(OVERVIEW.search(question)),
    )


_CN = "零〇一二两三四五六七八九十百"
_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
}
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
    "xi": 11,
    "xii": 12,
}
_REFERENCES = [
    ("measure", re.compile(rf"第\s*([{_CN}\d]+)\s*(?:条|條|项|項|点|點)")),
    ("measure", re.compile(rf"[(（]\s*([{_CN}]+)\s*[)）]")),
    ("measure", re.compile(r"\b(?:measure|item|article)\s*\(?\s*(\d{1,3})\s*\)?", re.IGNORECASE)),
    ("table", re.compile(r"(?:表\s*|\btable\s*)(\d{1,2})(?!\d)", re.IGNORECASE)),
    ("part", re.compile(rf"第\s*([{_CN}\d]+)\s*(?:部分|部份|章)")),
    (
        "part",
        re.compile(
            r"\b(?:part|chapter)\s+([ivx]+|\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\b",
            re.IGNORECASE,
        ),
    ),
    ("part", re.compile(r"\b(first|second|third|fourth|fifth|sixth) (?:part|chapter)\b", re.IGNORECASE)),
]


def _number(token: str) -> int | None:
    from bot.corpus.parse import cn_to_int

    token = token.strip().lower()
    if token in _ROMAN:
        return _ROMAN[token]
    if token in _WORDS:
        return _WORDS[token]
    try:
        return cn_to_int(token)
    except ValueError:
        return None


def clause_references(question: str) -> list[tuple[str, int]]:
    """Places a question names by number: 第二十四条, (十六), Measure 16, 表2, Table 1, Part IV, 第五部分."""
    found: list[tuple[str, int]] = []
    for kind, pattern in _REFERENCES:
        for match in pattern.finditer(question):
            number = _number(match.group(1))
            if number is not None and (kind, number) not in found:
                found.append((kind, number))
    return found
