"""The words of Chinese policy texts that mark each kind of fact: amounts and their units, ratios, caps and
floors, counts, time limits, dates and windows, effective dates, validity, repeal, fees, procedure,
eligibility, obligations, penalties, definitions and contact details (read by bot.corpus.facts.sentence)."""

from __future__ import annotations

import re

from bot.corpus.facts.numbers import CN_NUMERAL, NUMBER

SEGMENT_END = "，,；;：:。！？!?"
MONEY = re.compile(rf"(?P<num>{NUMBER})\s*(?P<unit>亿元|億元|万元|萬元|千元|元|万美元|美元)")
RATIO = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?)\s*[%％]|百分之(?P<cn>{CN_NUMERAL}|\d+(?:\.\d+)?)|(?P<times>{NUMBER})\s*倍"
)
CAP_BEFORE = re.compile(
    r"(?:最高|最多|不超过|不超過|不高于|上限(?:为)?|封顶|累计(?:不超过)?|总额(?:最高)?(?:不超过)?|限额)\s*(?:为)?\s*$"
)
CAP_AFTER = re.compile(r"^\s*(?:以内|以下|为限|封顶)")
FLOOR_BEFORE = re.compile(r"(?:不低于|不少于|至少|超过|达到|满)\s*$")
FLOOR_AFTER = re.compile(r"^\s*(?:以上|及以上)")
SUPPORT = re.compile(r"给予|奖励|补助|资助|补贴|贴息|扶持|资金|拨付|兑现|支持|补足|加计|上浮|减免")
TARGET = re.compile(r"达到|突破|实现|增长|提高到|提升到|累计值|年均")
COUNT = re.compile(
    rf"(?P<num>{NUMBER})\s*(?P<unit>名|人|家|件|项|个(?!月|工作日|自然日|小时)|场|次|平方米|分)(?![a-z])"
)
TIME = re.compile(
    rf"(?P<num>{NUMBER})\s*(?P<unit>个工作日|工作日|个自然日|日|天|个月|月|年|周|小时)(?P<tail>\s*(?:内|以内|之内|前))?"
)
NOT_TIME_AFTER = re.compile(r"^(?:度|底|初|末|份|均|以来|起|月)")
DURATION_BEFORE = re.compile(
    r"(?:期限|期|周期|为期|最长|不超过|满|协议期|期间)\s*(?:为|是)?\s*(?:最长)?\s*(?:不超过)?\s*$"
)
THIS_DOCUMENT = re.compile(r"本(?:办法|措施|细则|规定|条例|方案|通知|意见|规则|决定|计划)")
FROM_EVENT = re.compile(r"自\s*([^，。；]{1,30}?)(?:之日)?起")
DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?")
_DAY = r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
WINDOW = re.compile(rf"(?P<a>{_DAY})\s*(?:至|到|—|–|-|~|～)\s*(?P<b>{_DAY})")
EFFECTIVE = re.compile(r"自\s*(?P<when>[^，。；]{1,24}?)\s*起\s*(?:施行|实施|执行|生效)")
VALIDITY = re.compile(
    r"有效期|试行期|试行(?:\d|[一二两三四五六])年|执行期限|实施期限|实施期(?!间)|执行期(?!间)|工作期(?!间)|执行至|有效至"
)
REPEAL = re.compile(
    r"《(?P<title>[^《》]{2,60})》(?:\s*[（(][^（）()]*[）)])?\s*(?:同时|即行|一并)?(?:废止|失效|停止执行)"
)
FEE = re.compile(
    r"不(?:收取|收)(?:任何)?(?:费用|费)|免费|免收|无偿|公益性(?:服务)?|不另(?:行)?收(?:取)?费|收费标准|收费项目|实行收费|"
    r"收取(?P<what>[^，。；]{0,12})费|费用由(?P<payer>[^，。；]{1,20})承担|收取费用"
)
FREE = re.compile(r"^不|免费|免收|无偿|不另|公益")
PROCEDURE = re.compile(
    r"提交|报送|報送|填写|填报|提出(?:书面)?(?:申请|请求)|受理|审核|审批|审查|初审|复审|公示|拨付|流程|程序|手续|步骤|"
    r"(?:下列|以下|如下)(?:材料|资料)|(?:申报|申请)材料|材料清单|在线(?:申报|提交)|送达"
)
ELIGIBILITY = re.compile(
    r"(?:符合|满足|具备)(?:下列|以下|如下)?(?:条件|要求)|(?:下列|以下|如下)(?:条件|标准)|(?:认定|申报|申请|准入)(?:的)?(?:标准|条件)|"
    r"资格|适用于|不适用|具有独立法人|(?:注册|登记)(?:地)?(?:在|于)|在本(?:市|区|省)(?:依法)?(?:注册|登记)|近[一二两三四五\d]年内|依法纳税"
)
OBLIGATION = re.compile(r"应当|必须|(?<![必无])须(?!知)|不得|严禁|禁止|义务")
PENALTY = re.compile(
    r"罚款|没收|责令(?:改正|限期|停止|退还)|警告|通报批评|追回|取消[^，。；]{0,30}资格|撤销|吊销|依法(?:依规)?追究|"
    r"移送(?:司法|公安)机关|列入[^，。；]{0,12}名单|不再受理|[一二两三四五\d]年内(?:不再|不得)|解除[^，。；]{0,8}协议|不予(?:补助|奖励|受理)"
)
DEFINITION = re.compile(
    r"本(?:办法|措施|细则|条例|方案|规定|意见|制度|规则|通知)所称(?P<term>[^，。；]{1,30}?)[，,]?(?:是指|包括|指)|"
    r"^(?P<head>[^，。；（(]{2,20})是指|[（(]以下(?:简称|统称)(?P<alias>[^）)]{1,20})[）)]"
)


# How to reach an office: a phone number, an e-mail address, a web address, a street address, a contact person.
CONTACTS: dict[str, re.Pattern[str]] = {
    "phone": re.compile(
        r"(?<!\d)(?:0\d{2,3}[-－]?\d{7,8}|1[3-9]\d[- ]?\d{4}[- ]?\d{4}|400[- ]?\d{3}[- ]?\d{4})(?!\d)"
    ),
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "url": re.compile(r"https?://[^\s，。；、)）]+|www\.[^\s，。；、)）]+"),
    "address": re.compile(r"(?:地址|地点|地點|办公地点|辦公地點)\s*[:：]\s*\S"),
    "person": re.compile(r"联系人|聯繫人|聯絡人"),
}
