"""What a question asks for, read from its form (not its topic): a value, a department, document facts,
a list of measures, an amount of money, or an attempt to change the rules."""

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
    r"隐藏(?:的)?(?:配置|设定|指令)|隱藏|越狱|越獄|扮演|角色扮演|开发者模式|開發者模式|其他用户|其他用戶|"
    r"网页上的电话|網頁上的電話|页面上的电话|頁面上的電話|加盟电话|加盟電話|"
    r"别管方案|別管方案|忽略方案|不要管方案|系统通知|系統通知|必须确认|必須確認|必须回答|必須回答|照这段回答|照這段回答|"
    r"编一个|編一個|随便编|隨便編|捏造|note to ai|\bpretend\b|unrestricted|make (?:one |something )?up|fabricate|"
    r"(?:原样|原樣|逐字|一字不差)(?:地)?(?:输出|輸出|贴出|貼出|印出)|dump (?:everything|your|the)",
    _FLAGS,
)
UNITS = re.compile(
    r"责任单位|責任單位|负责|負責|牵头|牽頭|哪些部门|哪个部门|哪個部門|哪些部門|主管部门|主管部門|找哪个|找哪個|"
    r"responsib|in charge|which (?:department|agenc|office|bod|unit|authorit)|who (?:handles|is responsible|leads|runs|implements)",
    _FLAGS,
)
VALUE = re.compile(
    r"多少|几家|幾家|几个|幾個|几人|幾人|目标值|目標值|预期值|預期值|基期|指标|指標|数量|數量|量是|达到|達到|"
    r"how (?:many|much)|target|expected (?:number|value|level)|baseline|indicator|figure|value",
    _FLAGS,
)
META = re.compile(
    r"文号|文號|字号|字號|发文|發文|印发|印發|哪天|什么时候|什麼時候|何时|何時|日期|有效期|还有效|還有效|仍然有效|期限|示范期|示範期|工作期|"
    r"still (?:in effect|valid|in force|apply)|valid|expire|in force|document number|reference number|issued|when (?:was|did|does)|"
    r"who issued|which (?:government|authority) issued|period",
    _FLAGS,
)
AMOUNT = re.compile(
    r"多少钱|多少錢|多少万|多少萬|多少元|金额|金額|补贴多少|補貼多少|补助多少|補助多少|奖励多少|獎勵多少|万元|萬元|"
    r"how much (?:money|cash|funding|subsid)|\bamount\b|\brmb\b|\byuan\b|million|\bcash\b|grant of",
    _FLAGS,
)
SUBSIDY = re.compile(
    r"补贴|補貼|补助|補助|资助|資助|奖励|獎勵|奖金|獎金|subsid|reward|bonus|cash|per (?:granted )?patent|每件|每家",
    _FLAGS,
)
LIST = re.compile(
    r"哪些措施|哪些政策|哪些支持|哪些优惠|哪些優惠|哪些扶持|可以关注|可以關注|有什么支持|有什麼支持|有哪些|"
    r"what (?:is there|support|measures|help|programmes|programs)|which measures|any (?:support|measures|help)",
    _FLAGS,
)
FOLLOW_UP = re.compile(
    r"^(?:那|那么|那麼|还有|還有|and |what about|how about)|(?:呢[？?]?$)|\b(?:that|this|it|them|those)\b[?？]?$|"
    r"这项|這項|该措施|該措施|上面|上述|刚才|剛才",
    _FLAGS,
)

AUDIENCE_CUES: dict[str, re.Pattern[str]] = {
    "taiwan": re.compile(r"台湾|台灣|臺灣|台资|台資|台商|taiwan", _FLAGS),
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


@dataclass(frozen=True)
class Intent:
    injection: bool
    units: bool
    value: bool
    meta: bool
    amount: bool
    subsidy: bool
    listing: bool
    follow_up: bool
    audiences: tuple[str, ...]
    supports: tuple[str, ...]


def read_intent(question: str) -> Intent:
    return Intent(
        injection=bool(INJECTION.search(question)),
        units=bool(UNITS.search(question)),
        value=bool(VALUE.search(question)),
        meta=bool(META.search(question)),
        amount=bool(AMOUNT.search(question)),
        subsidy=bool(SUBSIDY.search(question)),
        listing=bool(LIST.search(question)),
        follow_up=bool(FOLLOW_UP.search(question.strip())) and len(question.strip()) <= 40,
        audiences=tuple(tag for tag, cue in AUDIENCE_CUES.items() if cue.search(question)),
        supports=tuple(tag for tag, cue in SUPPORT_CUES.items() if cue.search(question)),
    )
