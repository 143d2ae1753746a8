"""Turn retrieved clauses into a grounded answer: structured lookups first, then cited sentences, or an
honest refusal with pointers to the nearest clauses."""

from __future__ import annotations

import datetime as dt
import logging
import re

from bot.answer.evidence import Vocabulary, answers_request, contradicts
from bot.answer.extractive import Draft, ExtractiveAnswerer, render
from bot.answer.verify import verify
from bot.corpus.bilingual import DISCLAIMER_EN, DISCLAIMER_ZH
from bot.intent import CLAIMED_AMOUNT, CLAIMED_NUMBER, CUES, Intent, clause_references, read_intent
from bot.lang import english_tokens, to_simplified, to_traditional
from bot.retrieve import Query
from bot.schema import Answer, Citation, Clause, District, Document, Hit, Reference, Related, Table, TableRow

log = logging.getLogger("policybot.answer")


class Composer:
    def __init__(self, extractive: ExtractiveAnswerer, vocabulary: Vocabulary, today: dt.date | None = None):
        self.x = extractive
        self.vocabulary = vocabulary
        self.today = today

    def taiwan(self, text: str) -> str:
        """The bot's own Chinese sentences for a Traditional reader, in Taiwan's words (智慧財產權)."""
        return self.x.lexicon.to_taiwan(text)

    # --------------------------------------------------------------------------- entry point

    def answer(self, question: str, language: str, query: Query, hits: list[Hit]) -> Answer:
        intent = read_intent(question)
        if intent.injection:
            return self.refusal(question, language, hits, reason="rules")
        if not hits:
            return self.refusal(question, language, hits, reason="scope")
        if intent.contact and not self.vocabulary.has_contacts:
            # The documents give no phone numbers or addresses; whatever a page showed around them is not theirs.
            return self.refusal(question, language, hits, reason="contact")
        coverage = self.vocabulary.coverage(query)
        # Catalogue facts are asked in words the text never uses (文号, "still in effect"): answer them first,
        # unless what is asked for is something else the documents never mention (申请截止时间是什么时候).
        if intent.meta and not intent.issuance and coverage.absent_focus:
            return self.refusal(question, language, hits, reason="scope")
        declined = self.kind_not_given(question, language, intent, query, hits)
        if declined is not None:
            return declined
        meta = self.meta_draft(intent, query, hits)
        if meta is not None:
            return self.finish(question, language, meta, hits)
        referenced = self.reference_draft(question, intent, query, hits)
        if isinstance(referenced, Answer):
            return referenced
        if referenced is not None:
            return self.finish(question, language, referenced, hits)
        outline = self.outline_draft(intent, hits)
        if outline is not None:
            return self.finish(question, language, outline, hits)
        if coverage.unanswerable:
            return self.refusal(question, language, hits, reason="scope")
        # "思明区的指标是多少": the documents give city-wide figures only.
        districts = _districts_named(self.x.document(hits[0].doc_id), query.text)
        if intent.value and districts:
            figures = self.table_draft(intent, query, hits)
            if figures is None:
                figures = self.pointer_draft(query, hits, _district_lead(districts, ""))
            return self.abstain_with(question, language, figures, hits)
        # "每件专利补多少": the documents set no amount, so the question is not answered; what they say about
        # funding is shown. A stated sum or claim ("听说每家500万") gets a cited correction instead, below; the
        # asker's own count ("去年拿了3件专利") is no claim.
        if _asks_amount(intent) and not (intent.asserts or CLAIMED_AMOUNT.search(query.text)):
            draft = self.amount_draft(intent, query, hits)
            if draft is not None:
                return self.abstain_with(question, language, draft, hits)
        draft = (
            (
                self.amount_draft(intent, query, hits)
                # "质押融资登记金额的目标": a figure of the table, when the table ranks first, not a subsidy.
                if intent.subsidy
                or (intent.amount and not intent.value and not hits[0].clause.startswith("table"))
                else None
            )
            # "海关负责哪几条": the measures that name the department, not the departments of one measure.
            or self.duties_draft(intent, query, hits)
            # "哪些部门负责质押融资": a department question is not a figure question, whatever the table matches.
            or (self.units_draft(intent, query, hits) if not intent.value else None)
            or self.table_draft(intent, query, hits)
            or self.amount_draft(intent, query, hits)
            or (self.units_draft(intent, query, hits) if intent.value else None)
            or self.list_draft(intent, query, hits)
            or self.clause_draft(query, hits, overview=intent.overview)
        )
        if draft is None:
            return self.refusal(question, language, hits, reason="scope")
        if draft.abstained:
            return self.abstain_with(question, language, draft, hits)
        return self.finish(question, language, draft, hits)

    def kind_not_given(
        self, question: str, language: str, intent: Intent, query: Query, hits: list[Hit]
    ) -> Answer | None:
        """How to apply, how long it takes, whether a right is recognised, the minimum, what comes next: answered
        only by a clause that says that kind of thing, not by one that merely names the programme asked about.
        Also a document the corpus cites but does not hold."""
        unloaded = self.unloaded_reference(question, language, query)
        if unloaded is not None:
            return unloaded
        # How long the document itself runs is a catalogue fact, answered by the catalogue. A question about
        # money gets the answer on amounts, which also says no procedure is set.
        asks_amount = _asks_amount(intent)
        asked = [
            k
            for k in intent.requests
            if not (k == "duration" and intent.period) and not (asks_amount and k in ("procedure", "rate"))
        ]
        unmet = [k for k in asked if not any(answers_request(k, self._clause(h)) for h in hits[:3])]
        # "方案里说要大幅提高专利授权资助…": a clause that moves it the other way answers the claim, whatever else
        # is asked; it is quoted first, after saying what the documents do not set out.
        if intent.asserts:
            against = [h for h in hits[:3] if contradicts(query, self._clause(h), self._english(h))]
            if against:
                lead = _opposite_lead([k for k in unmet if k != "obligation"])
                others = [h for h in hits if h not in against]
                return self.correction(question, language, query, against + others, lead)
        # A duty the documents do not impose is corrected, not declined: what they do say (encourage, support)
        # answers "must we…?". A department question ("who is required to lead") is not about a duty. Nor is a
        # claim that the documents say something happened ("方案说法院已经成立了") declined: it is corrected.
        if "obligation" in unmet:
            unmet.remove("obligation")
            if not unmet and not intent.units:
                return self.correction(question, language, query, hits, _NO_DUTY)
        if unmet and intent.asserts and _HAPPENED.search(query.text) and set(unmet) <= {"outcome", "date"}:
            return self.correction(question, language, query, hits, _NOT_HAPPENED)
        if unmet:
            return self.abstain_with(
                question, language, self.pointer_draft(query, hits, _unmet_lead(unmet)), hits
            )
        return None

    def finish(self, question: str, language: str, draft: Draft, hits: list[Hit]) -> Answer:
        """Render and verify; an answer that fails verification is never shown (refusal instead)."""
        cited = {(c.doc_id, c.clause) for c in draft.citations}
        citations = tuple(self.localised(c, language) for c in draft.citations)
        related = tuple(
            Related(doc_id=h.doc_id, clause=h.clause, title=h.title)
            for h in hits
            if (h.doc_id, h.clause) not in cited
        )[:3]
        answer = Answer(
            question=question,
            language=language,  # type: ignore[arg-type]
            answer=render(draft, language, self.taiwan),
            abstained=False,
            citations=citations,
            related=related,
            notices=tuple(self.notices(language, citations, question)),
        )
        problems = verify(answer, self.x.corpus, {(h.doc_id, h.clause) for h in hits} | set(draft.looked_up))
        if problems:
            log.error("built-in answer failed verification, refusing instead: %s", problems)
            return self.refusal(question, language, hits, reason="scope")
        return answer

    def localised(self, citation: Citation, language: str) -> Citation:
        """The citation's label in the answer's language; a Traditional answer also shows the quote converted."""
        if language == "en":
            document = self.x.document(citation.doc_id)
            clause = document.clause(citation.clause)
            assert clause is not None
            return citation.model_copy(update={"label": self.x.labels(document, clause)[1]})
        if language == "zh-Hant":
            return citation.model_copy(
                update={
                    "label": to_traditional(citation.label),
                    "quote_display": to_traditional(citation.quote),
                }
            )
        return citation

    # --------------------------------------------------------------------------- kinds of answer

    def resolve(self, document: Document, references: list[tuple[str, int]]) -> list[str | None]:
        """Clause ids for the places a question names; None for a place the document does not have."""
        ids = {c.clause: c for c in document.clauses}
        parts = [n for kind, n in references if kind == "part"]
        resolved: list[str | None] = []
        for kind, number in references:
            if kind == "table":
                resolved.append(f"table{number}" if f"table{number}" in ids else None)
            elif kind == "part":
                resolved.append(next((c for c in (f"part-{number}", f"chapter-{number}") if c in ids), None))
            elif parts and document.meta.shape == "plan":
                # 第五部分第九项: the n-th measure of that part, or a measure numbered n inside it.
                members = [
                    c.clause for c in document.clauses if c.part == f"part-{parts[0]}" and c.kind == "measure"
                ]
                own = str(number) if str(number) in members else None
                resolved.append(own or (members[number - 1] if 0 < number <= len(members) else None))
            else:
                resolved.append(
                    str(number)
                    if str(number) in ids and ids[str(number)].kind in ("measure", "article")
                    else None
                )
        return [
            r
            for r, (kind, _) in zip(resolved, references, strict=True)
            if not (kind == "part" and len(references) > 1 and r)
        ] or resolved

    def reference_draft(
        self, question: str, intent: Intent, query: Query, hits: list[Hit]
    ) -> Draft | Answer | None:
        """A question naming a clause by number is answered from that clause, or told plainly it does not exist."""
        references = clause_references(question)
        if not references or not hits:
            return None
        if (
            intent.value
            and any(h.clause.startswith("table") for h in hits[:3])
            and not any(k == "table" for k, _ in references)
        ):
            return None  # "第一部分的…目标值是多少": the figure lives in the table, not in the part heading
        # "《…条例》第四条": the clause of the document the question names, once that document is loaded.
        asked = query.zh_text + " " + " ".join(query.translated_terms)
        loaded = next(
            (r.present_doc_id for r in self.x.corpus.references if r.present_doc_id and _names(r, asked)),
            None,
        )
        document = self.x.document(loaded or hits[0].doc_id)
        resolved = self.resolve(document, references)
        if any(r is None for r in resolved):
            return self.missing_clause(question, query, document, hits)
        clause_ids = [r for r in resolved if r]
        if any(c.startswith("table") for c in clause_ids):
            table = document.table(next(c for c in clause_ids if c.startswith("table")))
            if table is not None:
                rows = self._rows_for(table, query)
                if rows:
                    return self.x.table_draft(document, table, rows)
            return None
        if intent.units and len(clause_ids) == 1:
            # "第七条的责任单位有哪些": the departments of the clause named, not its text.
            named = document.clause(clause_ids[0])
            if named is not None and named.responsible_units:
                draft = self.clause_units_draft(document, named)
                draft.looked_up = ((document.doc_id, named.clause),)
                return draft
        by_id = {h.clause: h for h in hits if h.doc_id == document.doc_id}
        points: list[tuple[str, str]] = []
        citations: list[Citation] = []
        for clause_id in clause_ids[:3]:
            clause = document.clause(clause_id)
            if clause is None:
                continue
            hit = by_id.get(clause_id) or Hit(
                doc_id=document.doc_id, clause=clause_id, title=clause.title, score=0.0
            )
            if clause.kind in ("part", "chapter"):
                citation, point_texts = self.division_point(document, clause)
                points.append(point_texts)
                citations.append(citation)
                continue
            point = self.x.clause_point(hit, set(query.zh_tokens), set(query.en_tokens), max_sentences=3)
            if point is None:
                continue
            citation, en_label, _ = point
            citations.append(citation)
            points.append(quoted_point(citation, en_label))
        if not citations:
            return None
        return Draft(
            lead={
                "zh": f"{citations[0].label}「{citations[0].title}」的内容：",
                "en": "What the clause you named says:",
            },
            points=points,
            citations=citations,
            looked_up=tuple((c.doc_id, c.clause) for c in citations),
        )

    def division_point(self, document: Document, clause: Clause) -> tuple[Citation, tuple[str, str]]:
        """A part or chapter as one cited line: its heading and the measures or articles it contains."""
        citation, en_label = self.x.citation(document, clause, [], [])
        members = [c for c in document.clauses if c.part == clause.clause]
        rendition = self.x.bilingual.rendition(document.doc_id)
        zh = f"「{clause.title}」"
        en = f"“{rendition.titles.get(clause.clause, clause.title)}”"
        if members:
            zh += "包括：" + "；".join(f"{_member_zh(c)}{c.title}" for c in members)
            en += " contains: " + "; ".join(
                f"{_member_en(c)} {rendition.titles.get(c.clause, c.title)}" for c in members
            )
        return citation, (f"{zh} [{citation.label}]", f"{en} [{en_label}]")

    def outline_draft(self, intent: Intent, hits: list[Hit]) -> Draft | None:
        """'How is the plan organised?': every part or chapter in document order, each with what it contains."""
        if not intent.outline or not hits:
            return None
        document = self.x.document(hits[0].doc_id)
        divisions = [c for c in document.clauses if c.kind in ("part", "chapter")]
        if not divisions or not any(h.clause == d.clause for h in hits[:3] for d in divisions):
            return None
        citations: list[Citation] = []
        points: list[tuple[str, str]] = []
        for division in divisions:
            citation, texts = self.division_point(document, division)
            citations.append(citation)
            points.append(texts)
        noun_zh, noun_en = ("部分", "parts") if divisions[0].kind == "part" else ("章", "chapters")
        tables = f"，另附{len(document.tables)}张表" if document.tables else ""
        tables_en = (
            f", plus {len(document.tables)} table" + ("s" if len(document.tables) > 1 else "")
            if document.tables
            else ""
        )
        return Draft(
            lead={
                "zh": f"{_book(document)}正文分为{len(divisions)}个{noun_zh}{tables}：",
                "en": f"The {'Work Plan' if document.meta.shape == 'plan' else 'document'} has {len(divisions)} {noun_en}{tables_en}:",
            },
            points=points,
            citations=citations,
            looked_up=tuple((c.doc_id, c.clause) for c in citations),
        )

    def missing_clause(self, question: str, query: Query, document: Document, hits: list[Hit]) -> Answer:
        measures = sum(1 for c in document.clauses if c.kind in ("measure", "article"))
        parts = sum(1 for c in document.clauses if c.kind in ("part", "chapter"))
        tables = len(document.tables)
        language = query.script
        if document.meta.shape == "plan":
            zh = f"{_book(document)}没有您所说的条款：全文共{parts}个部分、{measures}项措施（(一)至({_cn(measures)})），以及{tables}张表（表1）。"
            en = f"The Work Plan has no such clause: it has {parts} parts, {measures} measures ((1) to ({measures})) and {tables} table (Table 1)."
        else:
            zh = f"{_book(document)}没有您所说的条款：全文共{measures}条。"
            en = f"{document.meta.title_en or document.meta.title} has no such clause: it has {measures} articles."
        refusal = self.refusal(question, language, hits, reason="scope")
        text = en if language == "en" else (self.taiwan(zh) if language == "zh-Hant" else zh)
        return refusal.model_copy(update={"answer": text})

    def meta_draft(self, intent: Intent, query: Query, hits: list[Hit]) -> Draft | None:
        """Document number, issuer, dates and period: from the catalogue, cited to the notice and measure (2)."""
        # Who it is sent to and whether it is public are lines of the notice, wherever retrieval ranked it.
        notice_line = intent.publicity or intent.addressees
        if not (intent.meta or notice_line):
            return None
        top = {h.clause for h in hits[:3]}
        if not notice_line and not top & {"notice", "2", "intro"}:
            return None
        document = self.x.document(hits[0].doc_id)
        meta = document.meta
        citations: list[Citation] = []
        points: list[tuple[str, str]] = []
        notice = document.clause("notice")
        if notice and notice.sentences:
            number = next((s for s in notice.sentences if meta.number and s.text == meta.number), None)
            date = next(
                (s for s in notice.sentences if "年" in s.text and "月" in s.text and s.text.endswith("日")),
                None,
            )
            # "有主动公开吗", "is it public?": the notice's closing line says so, and is shown with the facts.
            named = [
                s
                for s in notice.sentences
                if intent.publicity
                and re.search(r"公开|公開", s.text)
                or intent.addressees
                and s.text.rstrip().endswith((":", "："))
            ]
            chosen = [s for s in (number, date) if s]
            rendition = self.x.bilingual.rendition(document.doc_id)
            citation, en_label = self.x.citation(
                document,
                notice,
                [(s.start, s.end) for s in chosen],
                [rendition.sentences.get(s.id) for s in chosen],
            )
            citations.append(citation)
            points.append(
                (
                    f"文号：{meta.number}；发文机关：{meta.issuer}；印发日期：{_zh_date(meta.issued)}。[{citation.label}]",
                    f"Document number: {rendition.sentences.get(number.id) if number else meta.number}; issued by the "
                    f"{rendition.units.get(meta.issuer or '') or 'Xiamen Municipal People’s Government'} on "
                    f"{rendition.sentences.get(date.id) if date else meta.issued}. [{en_label}]",
                )
            )
            for sentence in named:
                line, _ = self.x.citation(
                    document, notice, [(sentence.start, sentence.end)], [rendition.sentences.get(sentence.id)]
                )
                citations.append(line)
                points.append(quoted_point(line, en_label))
        period = self._period_point(document)
        if period:
            citation, zh, en = period
            citations.append(citation)
            points.append((zh, en))
        if not citations:
            return None
        return Draft(
            lead={"zh": f"关于{_book(document)}：", "en": "About the Work Plan:"},
            points=points,
            citations=citations,
            looked_up=tuple((c.doc_id, c.clause) for c in citations),
        )

    def _period_point(self, document: Document) -> tuple[Citation, str, str] | None:
        goal = document.clause("2")
        if goal is None or not document.meta.valid_to:
            return None
        sentence = next((s for s in goal.sentences if "工作期" in s.text), None)
        if sentence is None:
            return None
        rendition = self.x.bilingual.rendition(document.doc_id)
        citation, en_label = self.x.citation(
            document, goal, [(sentence.start, sentence.end)], [rendition.sentences.get(sentence.id)]
        )
        ended = self._ended(document)
        zh_state = "该示范工作期已经届满。" if ended else "示范工作期尚未届满。"
        en_state = "That period has ended." if ended else "That period is still running."
        return (
            citation,
            f"{sentence.text}{zh_state} [{citation.label}]",
            f"{rendition.sentences.get(sentence.id) or ''} {en_state} [{en_label}]",
        )

    def table_draft(self, intent: Intent, query: Query, hits: list[Hit]) -> Draft | None:
        table_hit = next((h for h in hits[:3] if h.clause.startswith("table")), None)
        # "听说要增加到500人？" states a figure of its own: the table is where it is checked.
        states_figure = bool(CLAIMED_NUMBER.search(query.text))
        if table_hit is None or not (intent.value or states_figure or hits[0].clause == table_hit.clause):
            return None
        document = self.x.document(table_hit.doc_id)
        table = document.table(table_hit.clause)
        if table is None:
            return None
        if _TABLE_YEARS.search(query.text) and table.baseline_year and table.target_year:
            return self.table_years_draft(document, table)
        rows = self._rows_for(table, query)
        if not rows:
            return None
        draft = self.x.table_draft(document, table, rows)
        # "2023年完成了多少": the table gives its base and target years only; the rows are shown, but a year it
        # does not give is not answered.
        years = {int(y) for y in _ASKED_YEAR.findall(_YEAR_RANGE.sub("", query.text))}
        given = {y for y in (table.baseline_year, table.target_year) if y}
        relative = _RELATIVE_YEAR.findall(query.text)  # 去年, "last year": never a year the table names
        if given and (years - given or relative):
            absent = [str(y) for y in sorted(years - given)]
            zh_missing = "、".join([f"{y}年" for y in absent] + relative)
            en_missing = ", ".join(absent + relative)
            draft.lead = {
                "zh": f"{_book(document)}的表格只给出{'年和'.join(str(y) for y in sorted(given))}年的数值，"
                f"没有{zh_missing}的数据。表中相关数值为：",
                "en": f"The table gives figures for {' and '.join(str(y) for y in sorted(given))} only, not for "
                f"{en_missing}. Its figures are:",
            }
            draft.abstained = True
            return draft
        # "思明区、湖里区各自的目标": the table gives the city's figures only.
        districts = _districts_named(document, query.text)
        if districts:
            draft.lead = _district_lead(districts, _book(document))
            draft.abstained = True
            return draft
        # "听说目标是500人？": a figure the question states that the table does not give is corrected, and
        # never repeated (every number in an answer must come from the source).
        shown = {_plain_number(n) for _, _, row in rows for n in (row.baseline, row.target) if n is not None}
        claimed = {_plain_number(n) for n in CLAIMED_NUMBER.findall(query.text)}
        if claimed - shown:
            clause = document.clause(table.clause)
            assert clause is not None
            zh_label, en_label = self.x.labels(document, clause)
            draft.lead = {
                "zh": f"{zh_label}给出的数字与问题中的说法不同，原表为：",
                "en": f"{en_label} gives a different figure from the one in the question:",
            }
        return draft

    def _rows_for(self, table: Table, query: Query) -> list[tuple[float, int, TableRow]]:
        """The rows the question asks for: by their indicators' words, or all rows with a remark it quotes
        ("哪几项备注是年均值"). (Not by unit: "定成了40亿美元" names the wrong unit of another row.)"""
        remark = self._remark_asked(table, query)
        by_column = [(1.0, i, row) for i, row in enumerate(table.rows) if remark and row.remark == remark]
        if by_column and len(by_column) < len(table.rows):
            return by_column
        return self.x.best_rows(query.zh_text + " " + " ".join(query.translated_terms), query.text, table)

    def _remark_asked(self, table: Table, query: Query) -> str | None:
        """The remark the question quotes (年均值, "annual averages"); of two ("年均值而不是累计值"), the first."""
        english_rows = self.x.bilingual.rendition(table.doc_id).tables.get(table.clause, {}).get("rows", [])
        asked = " ".join(english_tokens(query.text))
        found: dict[str, int] = {}
        for i, row in enumerate(table.rows):
            if not row.remark or len(row.remark) < 2:
                continue
            remark_en = english_rows[i].get("remark_en") if i < len(english_rows) else None
            stems = " ".join(english_tokens(remark_en or ""))
            at = (
                query.zh_text.find(row.remark)
                if row.remark in query.zh_text
                else asked.find(stems)
                if stems
                else -1
            )
            if at >= 0:
                found[row.remark] = at
        return min(found, key=lambda remark: found[remark]) if found else None

    def table_years_draft(self, document: Document, table: Table) -> Draft | None:
        """ "Which year is the base?": the table's own header, where each year heads its column."""
        text = document.text
        start = text.find(str(table.baseline_year), table.start, table.end)
        end = text.find("预期值", start, table.end)
        clause = document.clause(table.clause)
        if start < 0 or end < 0 or clause is None:
            return None
        end += len("预期值")
        base, target = table.baseline_year, table.target_year
        en = f"{base}: baseline value; {target}: expected value"
        citation, en_label = self.x.citation(document, clause, [(start, end)], [en])
        return Draft(
            lead={
                "zh": f"{citation.label}「{table.title}」以{base}年为基期，预期值对应{target}年：",
                "en": f"{en_label} uses {base} as its base year and gives expected values for {target}:",
            },
            points=[(f"{' '.join(citation.quote.split())} [{citation.label}]", f"{en} [{en_label}]")],
            citations=[citation],
        )

    def amount_draft(self, intent: Intent, query: Query, hits: list[Hit]) -> Draft | None:
        """The plan sets no subsidy amounts: say so plainly and cite the clause that mentions funding."""
        if not (intent.amount or (intent.subsidy and intent.value)):
            return None
        funding = re.compile(r"资助|奖励|补助|补贴|专项资金|财政资金")
        hit = next(
            (h for h in hits[:5] if any(funding.search(s.text) for s in self._clause(h).sentences)), hits[0]
        )  # type: ignore[union-attr]
        funding_tokens = set(query.zh_tokens) | {"资助", "奖励", "资金", "财政"}
        point = self.x.clause_point(hit, funding_tokens, set(query.en_tokens), max_sentences=1)
        if point is None:
            return None
        citation, en_label, _ = point
        citations, points = (
            [citation],
            [(f"{citation.quote} [{citation.label}]", f"{citation.quote_en or ''} [{en_label}]")],
        )
        # The money may be asked for an audience of its own (台资企业, SMEs): the clause for them comes first.
        cards = self.x.bilingual.cards.get(hit.doc_id, {})
        topic = next(
            (
                h
                for h in hits[:5]
                if h.clause in cards and set(intent.audiences) & set(cards[h.clause].audience)
            ),
            hit,
        )
        if topic.clause != hit.clause:
            topic_point = self.x.clause_point(
                topic, set(query.zh_tokens), set(query.en_tokens), max_sentences=1
            )
            if topic_point is not None:
                citations.insert(0, topic_point[0])
                points.insert(0, quoted_point(topic_point[0], topic_point[1]))
        return Draft(
            lead={
                "zh": f"{_book(self.x.document(hits[0].doc_id))}没有规定具体的补贴、资助或奖励金额，也没有规定申领办法；与此最相关的条款是：",
                "en": "The Work Plan does not set any subsidy, funding or reward amount, nor an application procedure. The closest provisions are:",
            },
            points=points,
            citations=citations,
        )

    def units_draft(self, intent: Intent, query: Query, hits: list[Hit]) -> Draft | None:
        if not intent.units:
            return None
        hit = next((h for h in hits[:3] if self._clause(h) and self._clause(h).responsible_units), None)  # type: ignore[union-attr]
        if hit is None:
            return None
        document = self.x.document(hit.doc_id)
        clause = document.clause(hit.clause)
        assert clause is not None
        draft = self.clause_units_draft(document, clause)
        # What the clause says on the question's topic, so "who handles pledge financing" also shows the
        # sentence on pledge financing (a sentence already quoted for who leads is not repeated).
        point = self.x.clause_point(hit, set(query.zh_tokens), set(query.en_tokens), max_sentences=1)
        if point is not None and point[0].quote not in draft.citations[0].quote:
            draft.citations.append(point[0])
            draft.points.append(quoted_point(point[0], point[1]))
        return draft

    def duties_draft(self, intent: Intent, query: Query, hits: list[Hit]) -> Draft | None:
        """'What is Xiamen Customs responsible for?': every measure whose bracket names the department, each with
        the sentence that names its work (强化海关知识产权保护) or, failing that, the one closest to the question."""
        if not intent.duties or not hits:
            return None
        document = self.x.document(hits[0].doc_id)
        rendition = self.x.bilingual.rendition(document.doc_id)
        named = self._units_named(document, query)
        if not named:
            return None
        measures = [c for c in document.clauses if set(c.responsible_units) & set(named)]
        if not measures:
            return None
        by_id = {h.clause: h for h in hits if h.doc_id == document.doc_id}
        citations: list[Citation] = []
        points: list[tuple[str, str]] = []
        # Quoted closest to the question first; the lead names them all in the document's order.
        order = {h.clause: i for i, h in enumerate(hits)}
        closest = sorted(measures, key=lambda c: order.get(c.clause, len(order)))
        cores = [core for unit in named for core in _unit_cores(unit)]
        for clause in closest[:_MAX_DUTIES]:
            hit = by_id.get(clause.clause) or Hit(
                doc_id=document.doc_id, clause=clause.clause, title=clause.title, score=0.0
            )
            naming = [s for s in clause.sentences if any(core in s.text for core in cores)]
            if naming:
                citation, en_label = self.x.citation(
                    document,
                    clause,
                    [(s.start, s.end) for s in naming[:2]],
                    [rendition.sentences.get(s.id) for s in naming[:2]],
                )
            else:
                point = self.x.clause_point(hit, set(query.zh_tokens), set(query.en_tokens), max_sentences=1)
                if point is None:
                    continue
                citation, en_label, _ = point
            en_title = rendition.titles.get(clause.clause, clause.title)
            citations.append(citation)
            points.append(
                (
                    f"{citation.label}「{citation.title}」：{citation.quote}",
                    f"{en_label} “{en_title}”: {citation.quote_en or en_title}",
                )
            )
        if not citations:
            return None
        labels_zh = "；".join(self.x.labels(document, c)[0].removeprefix(_book(document)) for c in measures)
        labels_en = "; ".join(self.x.labels(document, c)[1].removeprefix("Work Plan, ") for c in measures)
        # 市中级法院 and 中级法院 are one court, named once.
        shown = [u for u in named if not any(u != other and u in other for other in named)]
        units_zh = "、".join(shown)
        units_en = "; ".join(rendition.units.get(u, u) for u in shown)
        # A count is not source text, so the measures are named rather than counted.
        more_zh = "以下引用其中与问题最接近的几项：" if len(measures) > _MAX_DUTIES else ""
        more_en = " The closest to the question are quoted below." if len(measures) > _MAX_DUTIES else ""
        return Draft(
            lead={
                "zh": f"{_book(document)}中，责任单位包括{units_zh}的措施是：{labels_zh}。{more_zh}",
                "en": f"The measures of the Work Plan that name {units_en} among the responsible units are: "
                f"{labels_en}.{more_en}",
            },
            points=points,
            citations=citations,
            looked_up=tuple((c.doc_id, c.clause) for c in citations),
        )

    def _units_named(self, document: Document, query: Query) -> list[str]:
        """The document's responsible units the question names: 海关, 商务局, "Xiamen Customs"."""
        rendition = self.x.bilingual.rendition(document.doc_id)
        units = dict.fromkeys(u for c in document.clauses for u in c.responsible_units)
        asked_en = f" {' '.join(english_tokens(query.text))} "
        lowered = query.text.lower()
        named = []
        for unit in units:
            if unit.startswith(("各", "市直", "市知识产权工作领导小组")):
                continue  # 各区人民政府, 市直有关部门: every department of a kind, not one the asker can name
            full = rendition.units.get(unit, "").split("(")[0].strip()
            words = _EN_UNIT_GENERIC.sub(" ", full).split()
            # One word ("finance", "customs") names a department only with its own noun ("the Finance Bureau")
            # or in its full name ("Xiamen Customs").
            en_named = bool(full) and full.lower() in lowered
            if len(words) >= 2:
                en_named = en_named or f" {' '.join(english_tokens(' '.join(words)))} " in asked_en
            elif words:
                word = re.escape(words[0].lower())
                noun = _EN_UNIT_NOUN
                en_named = en_named or bool(
                    re.search(rf"\b{word}\w*\s+{noun}|\b{noun}\s+(?:of|for)\s+(?:\w+\s+)?{word}", lowered)
                )
            # 国家知识产权局 is not the city's 知识产权局.
            zh_named = any(
                re.search(rf"(?<!国家)(?<!省){re.escape(core)}", query.zh_text) for core in _unit_cores(unit)
            )
            if zh_named or en_named:
                named.append(unit)
        return named

    def clause_units_draft(self, document: Document, clause: Clause) -> Draft:
        """The responsible units of one clause, quoted from its bracket, with the sentence naming who leads."""
        assert clause.units_text
        start = document.text.find(clause.units_text, clause.start)
        rendition = self.x.bilingual.rendition(document.doc_id)
        units_en = "; ".join(rendition.units.get(u) or u for u in clause.responsible_units)
        spans: list[tuple[int, int]] = [(start, start + len(clause.units_text))]
        english: list[str | None] = [f"Responsible units: {units_en}"]
        # The body sometimes names who leads (…牵头); quote that sentence too when it says so.
        leading = next((s for s in clause.sentences if re.search(r"牵头|负责|领导小组", s.text)), None)
        if leading is not None:
            spans.append((leading.start, leading.end))
            english.append(rendition.sentences.get(leading.id))
        citation, en_label = self.x.citation(document, clause, spans, english)
        points = [("、".join(clause.responsible_units) + f" [{citation.label}]", f"{units_en} [{en_label}]")]
        if leading is not None:
            points.append(
                (
                    f"{leading.text} [{citation.label}]",
                    f"{rendition.sentences.get(leading.id) or ''} [{en_label}]",
                )
            )
        return Draft(
            lead={
                "zh": f"{citation.label}「{clause.title}」的责任单位是：",
                "en": f"Responsible units for {en_label} ({rendition.titles.get(clause.clause, clause.title)}):",
            },
            points=points,
            citations=[citation],
        )

    def list_draft(self, intent: Intent, query: Query, hits: list[Hit]) -> Draft | None:
        """'Which measures are there for X?': one cited line per measure whose card names that audience."""
        if not intent.listing or not (intent.audiences or intent.supports):
            return None
        if self._names_title(hits[0], query):
            return None  # "行政保护方面有哪些举措": the measure named by its topic, not a list of measures
        wanted = set(intent.audiences) | set(intent.supports)
        doc_id = hits[0].doc_id
        cards = self.x.bilingual.cards.get(doc_id, {})
        matching = [
            c
            for c, card in cards.items()
            if wanted & (set(card.audience) | set(card.support)) and c[0].isdigit()
        ]
        if len(matching) < 2:
            return None
        # The tags only stand for the question's topic when retrieval agrees on at least one leading clause
        # ("国际商标有哪些支持" is about trademarks, not about every international measure).
        if not {h.clause for h in hits[:2]} & set(matching):
            return None
        order = {h.clause: i for i, h in enumerate(hits)}
        matching.sort(key=lambda c: (order.get(c, 99), int(c) if c.isdigit() else 0))
        points: list[tuple[str, str]] = []
        citations: list[Citation] = []
        by_id = {h.clause: h for h in hits}
        cues = [CUES[tag] for tag in wanted if tag in CUES]
        document = self.x.document(doc_id)
        rendition = self.x.bilingual.rendition(doc_id)
        for clause_id in matching[:6]:
            clause = document.clause(clause_id)
            hit = by_id.get(clause_id) or Hit(doc_id=doc_id, clause=clause_id, title="", score=0.0)
            # The line for each measure is a sentence that names the audience or support asked about
            # (台湾地区企业…, 质押融资…): of those, the one closest to the question.
            ranked = (
                self.x.sentence_scores(clause, hit, set(query.zh_tokens), set(query.en_tokens))
                if clause
                else []
            )
            # Every sentence that names it, closest first; they are quoted together when they sit close.
            named = [s for _, s in ranked if any(c.search(s.text) for c in cues)][:3]
            # A term the question names that those sentences miss brings the sentence that names it, where few
            # of the measure's sentences do ("像是质押融资、保险这类": the insurance sentence).
            if named and clause is not None:
                asked = set(query.zh_tokens)
                tokens = {s.id: self.x.sentence_tokens(s) & asked for s in clause.sentences}
                covered = set().union(*(tokens[s.id] for s in named))
                for _, sentence in ranked:
                    rare = {
                        t for t in tokens[sentence.id] - covered if sum(t in f for f in tokens.values()) <= 2
                    }
                    if rare and sentence not in named and len(named) < 4:
                        named.append(sentence)
                        covered |= tokens[sentence.id]
            if clause is not None and named:
                citation, en_label = self.x.citation(
                    document,
                    clause,
                    [(s.start, s.end) for s in named],
                    [rendition.sentences.get(s.id) for s in named],
                )
            else:
                point = self.x.clause_point(hit, set(query.zh_tokens), set(query.en_tokens), max_sentences=1)
                if point is None:
                    continue
                citation, en_label, _ = point
            citations.append(citation)
            points.append(quoted_point(citation, en_label))
        return Draft(
            lead={"zh": "方案中与此相关的措施有：", "en": "Measures of the Work Plan that concern this:"},
            points=points,
            citations=citations,
            looked_up=tuple((c.doc_id, c.clause) for c in citations),
        )

    def clause_draft(self, query: Query, hits: list[Hit], overview: bool = False) -> Draft | None:
        # "服务机构、专业人才和企业分别…": several things asked at once need more of the clause quoted; "有啥安排"
        # asks what the measure says as a whole, which a measure of the plan fits into one quote.
        enumerates = bool(_ENUMERATION.search(query.text))
        first_sentences = 8 if overview else 3 if enumerates else 2
        points: list[tuple[str, str]] = []
        citations: list[Citation] = []
        # A part heading the question names ("保障实施里…"), or a table none of whose rows is asked for ("the
        # overall target"), ranks first but gives nothing to quote: the cut-off is measured from the clause below.
        top: float | None = None
        for hit in hits[:4]:
            if top is not None and hit.score < 0.75 * top:
                break
            point = self.x.clause_point(
                hit,
                set(query.zh_tokens),
                set(query.en_tokens),
                max_sentences=(8 if self._names_title(hit, query) else first_sentences)
                if not citations
                else 1,
            )
            if top is None and not self._no_quote_of_its_own(hit, query):
                top = hit.score
            if point is None:
                continue
            citation, en_label, _ = point
            citations.append(citation)
            points.append(quoted_point(citation, en_label))
            if len(citations) == 2:
                break
        if not citations:
            return None
        first = citations[0]
        units_zh = f"责任单位：{'、'.join(first.responsible_units)}。" if first.responsible_units else ""
        units_en = (
            f" Responsible units: {'; '.join(u for u in first.responsible_units_en if u)}."
            if first.responsible_units
            else ""
        )
        en_title = self.x.bilingual.rendition(first.doc_id).titles.get(first.clause, first.title)
        return Draft(
            lead={
                "zh": f"这一问题主要见于{first.label}「{first.title}」。{units_zh}",
                "en": f"This is covered mainly by the measure “{en_title}”.{units_en}",
            },
            points=points,
            citations=citations,
        )

    def _no_quote_of_its_own(self, hit: Hit, query: Query) -> bool:
        clause = self._clause(hit)
        if clause.kind in ("part", "chapter"):
            return True
        table = self.x.document(hit.doc_id).table(hit.clause) if clause.kind == "table" else None
        return table is not None and not self._rows_for(table, query)

    def _english(self, hit: Hit) -> str:
        clause = self._clause(hit)
        rendition = self.x.bilingual.rendition(hit.doc_id)
        return rendition.clause_text(clause.clause, [s.id for s in clause.sentences]) or ""

    def _names_title(self, hit: Hit, query: Query) -> bool:
        """The question names the measure by its title ("方案怎么建设知识产权文化环境"): it asks for the measure."""
        title = self._clause(hit).title
        # Or by its topic without the verb ("组织领导" for 加强组织领导), or without 知识产权 too ("行政保护").
        topic = _TITLE_VERB.sub("", title)
        core = topic.removeprefix("知识产权")
        en_title = self.x.bilingual.rendition(hit.doc_id).titles.get(hit.clause, "")
        en_topic = re.sub(r"^\w+ing\s+", "", en_title)  # "overseas IP exchange and cooperation"
        asked = query.text.lower()
        return any(len(name) >= 4 and name in query.zh_text for name in (title, topic, core)) or any(
            len(name.split()) >= 3 and name.lower() in asked for name in (en_title, en_topic)
        )

    # --------------------------------------------------------------------------- refusal and notices

    def refusal(self, question: str, language: str, hits: list[Hit], reason: str) -> Answer:
        related = (
            tuple(Related(doc_id=h.doc_id, clause=h.clause, title=h.title) for h in hits[:3])
            if reason == "scope"
            else ()
        )
        if reason == "contact":
            zh = "已收录的文件没有提供任何联系电话、邮箱或地址。请通过主管部门的官方渠道查询联系方式。"
            en = "The loaded documents give no phone numbers, e-mail addresses or street addresses. Please look up contact details through the responsible department's official channels."
        elif reason == "rules":
            zh = "抱歉，我只能依据已收录的政策文件回答问题，不能更改规则、透露系统设置或网页上与文件无关的内容。请直接提出关于文件内容的问题。"
            en = "Sorry, I can only answer from the loaded policy documents; I cannot change my rules or reveal settings or page content that is not part of the documents. Please ask about what the documents say."
        else:
            titles = "、".join(f"「{r.title}」" for r in related)
            zh = (
                "抱歉，已收录的文件没有回答这个问题。本库收录《厦门市国家知识产权强市建设示范城市工作方案》，涉及知识产权保护、创造运用、公共服务、区域与国际合作及保障措施。"
                + (f"最接近的条款是：{titles}。" if titles else "")
            )
            en = (
                "Sorry, the loaded documents do not answer this question. They cover Xiamen's work plan for a national IP-strong "
                "demonstration city: IP protection, creation and use, public services, regional and international cooperation, and implementation."
                + (" The nearest clauses are listed under related." if related else "")
            )
        text = en if language == "en" else (self.taiwan(zh) if language == "zh-Hant" else zh)
        return Answer(question=question, language=language, answer=text, abstained=True, related=related)  # type: ignore[arg-type]

    def unloaded_reference(self, question: str, language: str, query: Query) -> Answer | None:
        """A question about a document the corpus cites but does not hold (《…条例》第十条, "what does the
        Xiamen SEZ IP regulation say"): its text cannot answer, so say so and quote where the loaded
        documents cite it. Asked where the plan cites it, that is the answer. Once ingested, it answers itself."""
        asked = query.zh_text + " " + " ".join(query.translated_terms)
        reference = next(
            (r for r in self.x.corpus.references if not r.present_doc_id and _names(r, asked)), None
        )
        if reference is None:
            return self.unknown_document(question, language, asked)
        draft = Draft(lead={}, points=[], citations=[])
        for doc_id, clause_id in reference.cited_by[:3]:
            document = self.x.document(doc_id)
            clause = document.clause(clause_id)
            if clause is None:
                continue
            sentence = next(
                (
                    s
                    for s in clause.sentences
                    if any(n in s.text for n in (reference.title, *reference.spellings))
                ),
                None,
            )
            if sentence is None:
                continue
            rendition = self.x.bilingual.rendition(doc_id)
            citation, en_label = self.x.citation(
                document, clause, [(sentence.start, sentence.end)], [rendition.sentences.get(sentence.id)]
            )
            draft.citations.append(citation)
            draft.points.append(quoted_point(citation, en_label))
        if not draft.citations:
            return None
        title_en = self.x.lexicon.zh_to_en.get(f"《{reference.title}》") or reference.title
        draft.looked_up = tuple((c.doc_id, c.clause) for c in draft.citations)
        if _WHERE_CITED.search(question):
            draft.lead = {
                "zh": f"《{reference.title}》见于以下条款（该文件本身的原文尚未收录）：",
                "en": f"The {title_en} is cited in these provisions (its own text is not loaded):",
            }
            return self.finish(question, language, draft, [])
        draft.lead = {
            "zh": f"《{reference.title}》的原文尚未收录，无法回答其具体规定。已收录的文件在以下条款中提到它：",
            "en": f"The text of the {title_en} is not loaded, so what it provides cannot be answered from the "
            "documents. The loaded documents cite it here:",
        }
        return self.abstain_with(question, language, draft, [])

    def unknown_document(self, question: str, language: str, asked: str) -> Answer | None:
        """《专利法》第二十条: a document named by its title that the corpus neither holds nor cites. Its clause
        numbers are not the plan's, and nothing loaded can say what it provides."""
        loaded = [d.meta.title for d in self.x.corpus.documents]
        for title in _BOOK_TITLE.findall(asked):
            if any(title in t or t in title for t in loaded) or any(
                title in r.title for r in self.x.corpus.references
            ):
                continue
            lead = {
                "zh": f"《{title}》不在已收录的文件中，无法回答其具体规定。已收录的文件是："
                + "、".join(f"《{t}》" for t in loaded)
                + "。",
                "en": f"“{title}” is not among the loaded documents, so what it provides cannot be answered. "
                "The loaded documents are: "
                + "; ".join(d.meta.title_en or d.meta.title for d in self.x.corpus.documents)
                + ".",
            }
            return self.abstain_with(question, language, Draft(lead=lead, points=[], citations=[]), [])
        return None

    def correction(
        self, question: str, language: str, query: Query, hits: list[Hit], lead: dict[str, str]
    ) -> Answer:
        """What the question claims the documents say, they do not: say so, then quote what they do say."""
        provisions = [h for h in hits if not h.clause.startswith("table")]
        draft = self.clause_draft(query, provisions) if provisions else None
        if draft is None:
            return self.refusal(question, language, hits, reason="scope")
        draft.lead = lead
        return self.finish(question, language, draft, hits)

    def pointer_draft(self, query: Query, hits: list[Hit], lead: dict[str, str]) -> Draft:
        """What the nearest clauses do say (verbatim) and who is responsible for them, after a lead that says
        what the documents do not say, so the asker knows where to turn."""
        draft = Draft(lead=lead, points=[], citations=[])
        for hit in hits[:2]:
            point = self.x.clause_point(hit, set(query.zh_tokens), set(query.en_tokens), max_sentences=1)
            if point is None:
                continue
            citation, en_label, _ = point
            zh_units = "、".join(citation.responsible_units)
            en_units = "; ".join(u for u in citation.responsible_units_en if u)
            draft.citations.append(citation)
            draft.points.append(
                (
                    f"「{citation.title}」{citation.label}：{citation.quote}"
                    + (f"（责任单位：{zh_units}）" if zh_units else ""),
                    f"{en_label}: {citation.quote_en or citation.title}"
                    + (f" (responsible: {en_units})" if en_units else ""),
                )
            )
        return draft

    def abstain_with(self, question: str, language: str, draft: Draft, hits: list[Hit]) -> Answer:
        """The documents do not answer, but the draft's clauses come closest: its text is shown and its clauses
        lead `related`. Nothing is cited, because nothing answers."""
        nearest = [(c.doc_id, c.clause, c.title) for c in draft.citations] + [
            (h.doc_id, h.clause, h.title) for h in hits
        ]
        related = tuple(Related(doc_id=d, clause=c, title=t) for d, c, t in dict.fromkeys(nearest))[:3]
        text = render(draft, language, self.taiwan)  # type: ignore[arg-type]
        return Answer(question=question, language=language, answer=text, abstained=True, related=related)  # type: ignore[arg-type]

    def _ended(self, document: Document) -> bool:
        if not document.meta.valid_to:
            return False
        year, month = (int(x) for x in document.meta.valid_to.split("-")[:2])
        today = self.today or dt.date.today()
        return (today.year, today.month) > (year, month)

    def notices(self, language: str, citations: tuple[Citation, ...], question: str = "") -> list[str]:
        notes: list[str] = []
        for doc_id in dict.fromkeys(c.doc_id for c in citations):
            document = self.x.document(doc_id)
            meta = document.meta
            districts = _districts_named(document, question)
            if districts:
                zh = f"该文件适用于全市，没有针对{'、'.join(d.zh for d in districts)}的专门规定。"
                en = f"The document applies city-wide; it sets nothing specific to {_english_names(districts)}."
                notes.append(en if language == "en" else self.taiwan(zh) if language == "zh-Hant" else zh)
            if meta.valid_from and meta.valid_to:
                (fy, fm), (ty, tm) = (
                    (int(p) for p in v.split("-")[:2]) for v in (meta.valid_from, meta.valid_to)
                )
                if self._ended(document):
                    zh = f"该方案的示范工作期为{fy}年{fm}月至{ty}年{tm}月，现已届满；相关政策可能已有调整，请以主管部门最新文件为准。"
                    en = f"The plan's demonstration period ran from {_month(fm)} {fy} to {_month(tm)} {ty} and has ended; current policies may differ, so check the responsible department's latest documents."
                else:
                    zh = f"该方案的示范工作期为{fy}年{fm}月至{ty}年{tm}月。"
                    en = f"The plan's demonstration period runs from {_month(fm)} {fy} to {_month(tm)} {ty}."
                notes.append(en if language == "en" else self.taiwan(zh) if language == "zh-Hant" else zh)
        if language == "en" and citations:
            notes.append(DISCLAIMER_EN)
        elif citations and any(c.quote_en for c in citations):
            notes.append(self.taiwan(DISCLAIMER_ZH) if language == "zh-Hant" else DISCLAIMER_ZH)
        return notes

    def _clause(self, hit: Hit):  # type: ignore[no-untyped-def]
        return self.x.document(hit.doc_id).clause(hit.clause)


def quoted_point(citation: Citation, en_label: str) -> tuple[str, str]:
    """One cited line: the clause title and its verbatim quote (Chinese), or its rendition (English)."""
    return (
        f"「{citation.title}」：{citation.quote} [{citation.label}]",
        f"{citation.quote_en or citation.title} [{en_label}]",
    )


def _cn(number: int) -> str:
    from bot.corpus.labels import int_to_cn

    return int_to_cn(number)


# "方案哪一条提到了…条例", "which clause cites the regulation": where the plan cites it, which it can answer.
_WHERE_CITED = re.compile(
    r"哪(?:一|几|幾)?(?:条|條|项|項|部分|些条|些條)|(?:提到|提及|引用|援引)(?:了)?(?:哪|什么|什麼)|"
    r"\bwhich (?:clauses?|measures?|parts?|provisions?|articles? of the plan)\b|\bwhere (?:does|do|in) the (?:plan|documents?)\b",
    re.IGNORECASE,
)
# A title in book-title marks, as a question names a law or document: 《专利法》.
_BOOK_TITLE = re.compile(r"《([^《》]{2,40})》")
# Names a document carries without its place and period: 知识产权促进和保护条例 for 厦门经济特区知识产权促进和保护条例.
_TITLE_PREFIX = re.compile(r"^(?:中华人民共和国|厦门经济特区|厦门市|厦门|福建省|国家)")


def _names(reference: Reference, text: str) -> bool:
    core = _TITLE_PREFIX.sub("", re.sub(r"[(（]\d{4}-\d{4}年[)）]", "", reference.title))
    return any(name in text for name in (reference.title, *reference.spellings)) or (
        len(core) >= 6 and core in text
    )


# "基期是哪一年", "which year are the expected values for": the table's years, not a row.
_TABLE_YEARS = re.compile(
    r"(?:基期|预期值|預期值|目标值|目標值)[^，,。？?]{0,6}(?:哪一年|哪年|哪个年份|哪個年份|什么年份|什麼年份)|"
    r"(?:哪一年|哪年)[^，,。？?]{0,4}(?:为|為|作为|作為|是)?(?:基期|基準)|"
    r"\bwhich years?\b[^?]{0,40}\b(?:base|baseline|expected|target)|\bbase(?:-| )?(?:period )?year\b",
    re.IGNORECASE,
)
_RELATIVE_YEAR = re.compile(
    r"去年|今年|前年|明年|上一年|上年度|本年度|last year|this year|next year|the year before", re.IGNORECASE
)
_ASKED_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
# "2022-2025年" names a period (often the plan's own title), not a year asked about.
_YEAR_RANGE = re.compile(r"20\d\d\s*(?:年)?\s*[-—–~～至到]\s*20\d\d")


def _plain_number(value: object) -> str:
    number = float(str(value).replace(",", ""))
    return str(int(number)) if number.is_integer() else str(number)


_TITLE_VERB = re.compile(
    r"^(?:加强|加強|强化|強化|推进|推進|推动|推動|提升|促进|促進|完善|深化|拓展|落实|落實|建设|建設|健全|优化|優化|"
    r"打造|构建|構建|实施|實施|培育|发展|發展|扩大|擴大|深入|全面|积极|積極)+"
)
_ENUMERATION = re.compile(r"分别|分別|各自|各有|[\u4e00-\u9fff]{2,}、[\u4e00-\u9fff]{2,}")


def _member_zh(clause: Clause) -> str:
    """How a clause is named inside a list of a part's contents: (十六), 第五条, 表1."""
    if clause.kind == "table":
        return f"表{clause.clause.removeprefix('table')} "
    if clause.clause.isdigit():
        return (
            f"({_cn(int(clause.clause))})" if clause.kind == "measure" else f"第{_cn(int(clause.clause))}条"
        )
    return ""


def _member_en(clause: Clause) -> str:
    if clause.kind == "table":
        return f"Table {clause.clause.removeprefix('table')}"
    if clause.clause.isdigit():
        return f"({clause.clause})" if clause.kind == "measure" else f"Article {clause.clause}"
    return ""


def _asks_amount(intent: Intent) -> bool:
    """Money asked for: a subsidy's amount, or an amount that is not one of the table's figures."""
    return bool((intent.subsidy and (intent.amount or intent.value)) or (intent.amount and not intent.value))


_NO_DUTY = {
    "zh": "已收录的文件没有作出这样的强制性规定（没有“必须”“应当”一类的要求）。最相关的条款原文是：",
    "en": "None of the loaded documents imposes such a requirement: no provision says it must or shall be done. "
    "The closest provisions say:",
}
# The claim is that it has happened ("方案说法院已经成立了"), not that the documents intend it ("方案说要修订…").
_HAPPENED = re.compile(
    r"已经|已經|已(?=[\u4e00-\u9fff])|成立了|设立了|設立了|挂牌了|掛牌了|建成了|\balready\b|\bha(?:s|ve) been\b|"
    r"\bwas (?:set up|established|opened|founded|launched|created|built)\b",
    re.IGNORECASE,
)
_NOT_HAPPENED = {
    "zh": "已收录的文件没有说这件事已经完成或发生，也没有给出相应的日期。最相关的条款原文是：",
    "en": "The loaded documents do not say this has happened, nor give a date for it. The closest provisions say:",
}
_REQUESTED = {
    "procedure": (
        "办理程序、地点或所需材料",
        "application procedures, where to apply or the documents required",
    ),
    "duration": ("办理时限、期限或所需时间", "processing times, terms or time limits"),
    "legal_effect": (
        "权利或裁判的法律效力及认可规则",
        "the legal effect or recognition of rights or rulings",
    ),
    "threshold": ("最低或最高标准", "minimum or maximum thresholds"),
    "rate": (
        "收费标准、费率、比例、倍数、罚款数额或资金规模",
        "fees, rates, percentages, multipliers, fines or the size of funds",
    ),
    "charge": ("服务是否收费", "whether the service is charged for"),
    "conditions": ("资格条件、认定标准或考试要求", "eligibility conditions, criteria or examinations"),
    "date": (
        "截止日期、办公时间或活动的日程、地点",
        "deadlines, office hours or when and where events take place",
    ),
    "outcome": (
        "实施结果、完成情况、评估结论或事情发生的时间",
        "results, completion figures, evaluation findings or when things happened",
    ),
    "named_parties": (
        "具体参与的银行、企业、机构或人员名单",
        "the names of particular banks, firms, institutions or people",
    ),
    "drafting": ("文件的起草人员或起草过程", "who drafted the document or how it was drafted"),
    "law": ("适用于这一情形的具体法律", "which law governs this situation"),
    "definition": ("这一用语的定义或界定标准", "a definition of this term"),
    "opinion": ("对政策本身的评价或意见", "an appraisal of or opinion on the policy itself"),
    "future": ("方案到期以后的安排或后续政策", "what follows the plan once it ends"),
    "advice": (
        "对具体个案或做法的判断（是否侵权、能否胜诉、赔偿多少、该走哪条途径）",
        "a judgement on a particular case or choice (infringement, chances, damages, which route to take)",
    ),
}


def _opposite_lead(unmet: list[str]) -> dict[str, str]:
    zh = f"也没有规定{'；'.join(_REQUESTED[k][0] for k in unmet)}。" if unmet else ""
    en = f" Nor do they set out {'; '.join(_REQUESTED[k][1] for k in unmet)}." if unmet else ""
    return {
        "zh": f"已收录的文件没有这样说，条款原文的方向正好相反。{zh}最相关的条款原文是：",
        "en": f"The loaded documents do not say this: the provision says the opposite.{en} It reads:",
    }


def _unmet_lead(kinds: list[str]) -> dict[str, str]:
    zh = "；".join(_REQUESTED[k][0] for k in kinds)
    en = "; ".join(_REQUESTED[k][1] for k in kinds)
    return {
        "zh": f"已收录的文件都没有规定{zh}，无法据此回答。最接近的条款如下，具体事项请向其责任单位咨询：",
        "en": f"None of the loaded documents sets out {en}, so this cannot be answered from them. "
        "The closest provisions are below; their responsible units can advise on the details:",
    }


_MAX_DUTIES = 6
_EN_UNIT_NOUN = r"(?:bureau|office|department|commission|authority|authorities|administration)"
_EN_UNIT_GENERIC = re.compile(
    r"\b(?:Xiamen|Municipal|Municipality|City|Bureau|Office|Commission|Administration|Administrative|Committee|of|the|"
    r"for|and|CPC|Affairs)\b"
)


def _unit_cores(unit: str) -> list[str]:
    """How a unit is called in a question: 市市场监管局(知识产权局) → 市场监管局, 知识产权局; 厦门海关 → 海关."""
    names = re.findall(r"[^()（）]+", unit)
    cores = [re.sub(r"^(?:厦门|市委|市)", "", name) for name in names]
    cores += [c.removesuffix("管委会") for c in cores if c.endswith("管委会")]  # 火炬高新区
    return [c for c in cores if len(c) >= 2]


def _district_lead(districts: list[District], book: str) -> dict[str, str]:
    """What to say when figures are asked for a district: the table's, or (no table row) the nearest clauses."""
    zh_names, en_names = "、".join(d.zh for d in districts), _english_names(districts)
    if book:
        return {
            "zh": f"{book}的表格只给出全市的数值，没有分区（{zh_names}）的数值。全市数值为：",
            "en": f"The table gives city-wide figures only, none for individual districts ({en_names}). "
            "The city-wide figures are:",
        }
    return {
        "zh": f"已收录的文件只有全市的目标和指标，没有为{zh_names}单独设定的数值。最接近的条款如下：",
        "en": f"The loaded documents set city-wide targets only, none for {en_names}. The closest provisions are:",
    }


def _english_names(districts: list[District]) -> str:
    return ", ".join(f"{d.en[0]} District" if d.en else d.zh for d in districts)


def _districts_named(document: Document, question: str) -> list[District]:
    """The document's districts the question names: 湖里区, 湖里, 湖里區 or Huli."""
    simplified, lowered = to_simplified(question), question.lower()
    return [
        d
        for d in document.meta.districts
        if any(
            name in simplified if _HAN.search(name) else re.search(rf"\b{re.escape(name.lower())}\b", lowered)
            for name in d.names
        )
    ]


_HAN = re.compile(r"[\u4e00-\u9fff]")


def _book(document: Document) -> str:
    return f"《{document.meta.title}》"


def _zh_date(iso: str | None) -> str:
    if not iso:
        return "未注明"
    y, m, d = (int(p) for p in iso.split("-"))
    return f"{y}年{m}月{d}日"


def _month(number: int) -> str:
    return dt.date(2000, number, 1).strftime("%B")
