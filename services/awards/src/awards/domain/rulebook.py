"""The rulebook as data: award forms, who decides them, their rules, quotas, thresholds and deadlines,
each with its legal basis, versioned by the date it takes effect.

Two national defaults ship (see DOMAIN.md): the rules of 2024 under Law 06/2022/QH15 and Decree
98/2023/NĐ-CP, and the rules from 1 July 2025 under Decree 152/2025/NĐ-CP. A province adopts its own
version (``RulebookAdopted``); the version in force on a date is the latest whose effective date has come.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from awards.domain.citation import DECREE_98, DECREE_152, LAW_2022, Citation, Cite, rules_of
from thidua_contracts.awards import AwardForm, RulebookAdopted
from thidua_contracts.base import STRICT as CONTRACT
from thidua_shared.commands import Line

STRICT = ConfigDict(**CONTRACT, strict=True)
"""A province's rulebook comes as JSON: numbers are numbers, flags are booleans, nothing is coerced."""
Share = Annotated[float, Field(gt=0, le=1)]
FormCode = Annotated[str, Field(pattern=r"^[A-Z_]{2,40}$")]


class RuleSpec(BaseModel):
    model_config = STRICT
    citation: Citation


class Registered(RuleSpec):
    """The unit is registered in the province and neither dissolved nor merged away."""

    rule: Literal["registered"] = "registered"


class LeadsBloc(RuleSpec):
    """The unit holds one of the first ``places`` of its bloc's published ranking of the year. "Ranked first"
    is a provincial choice, not the law: the bloc honours its leader by vote, and with more than one place it
    can honour the next unit when the first is frozen or fails a standard."""

    rule: Literal["leads_bloc"] = "leads_bloc"
    places: int = Field(default=1, ge=1, le=10)


class HonouredByVote(RuleSpec):
    """The bloc's closed honouring vote for this form and year honoured the unit."""

    rule: Literal["honoured_by_vote"] = "honoured_by_vote"


class MeetsFormStandard(RuleSpec):
    """The unit meets another form's standard the same year, judged from the facts (e.g. the provincial
    flag's standard for the Government flag), never by requiring that form to have been given. A form's
    standard is its eligibility rules but the vote for it and the one-form rule."""

    rule: Literal["meets_form_standard"] = "meets_form_standard"
    form: FormCode


class ExceededTargets(RuleSpec):
    """Every target the unit registered for the year was attained, at least one beyond its plan
    (the results the bloc recorded at the year's end)."""

    rule: Literal["exceeded_targets"] = "exceeded_targets"


Rating = Literal["excellent", "good", "completed", "not_completed"]
"""The yearly quality rating (xếp loại chất lượng): hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành
nhiệm vụ, best first."""
RATINGS: tuple[Rating, ...] = ("excellent", "good", "completed", "not_completed")


class QualityRated(RuleSpec):
    """The province rated the unit (or, before a merger, each unit merged into it) at least ``rating`` in each
    of the ``years`` years up to the award's year."""

    rule: Literal["quality_rating"] = "quality_rating"
    rating: Rating = "excellent"
    years: int = Field(default=1, ge=1, le=10)


AttestedFact = Literal["internal_unity", "party_excellent", "new_models", "member_titles"]
"""Standards thidua does not compute, recorded with the document that attests them: internal unity (nội bộ
đoàn kết), the Party and mass organisations rated excellent, new models or initiatives, and the titles of
the collective's individual members (the labour collectives' standards rest on them)."""


class Attested(RuleSpec):
    """A standard recorded as a fact for the unit and year, with the document that attests it."""

    rule: Literal["attested"] = "attested"
    fact: AttestedFact


class ExclusiveForms(BaseModel):
    """One achievement, one form: a unit holds (proposed or decided) at most one of ``forms`` for a year's
    achievement (e.g. the Government flag, the provincial flag and the provincial certificate of merit)."""

    model_config = STRICT
    forms: list[FormCode] = Field(min_length=2, max_length=30)
    citation: Citation


class ConsecutiveTitles(RuleSpec):
    """The unit was awarded one of ``forms`` in each of the ``years`` years up to the year."""

    rule: Literal["consecutive_titles"] = "consecutive_titles"
    forms: list[FormCode] = Field(min_length=1, max_length=30)
    years: int = Field(ge=1, le=10)


class NotFrozen(RuleSpec):
    """No discipline, investigation, inspection, audit or complaint is pending (a freeze)."""

    rule: Literal["not_frozen"] = "not_frozen"


Simple = Annotated[Registered | LeadsBloc | HonouredByVote | MeetsFormStandard | ConsecutiveTitles | NotFrozen
                   | ExceededTargets | QualityRated | Attested, Field(discriminator="rule")]


class AnyOf(RuleSpec):
    """One of the alternatives suffices (e.g. a merit for an honouring vote or for consecutive titles)."""

    rule: Literal["any_of"] = "any_of"
    of: list[Simple] = Field(min_length=2, max_length=10)


Rule = Annotated[Simple | AnyOf, Field(discriminator="rule")]


class Quota(BaseModel):
    """``per: bloc_year`` allows ``max`` awards of the form per bloc and year. ``per: province_year`` with
    ``share`` allows that share (rounded down) of the province's blocs of the year (``of: blocs``), or of the
    collectives the blocs honoured as leaders by their votes for ``leaders_of`` that meet the ``standard``
    form's standard that year (``of: qualifying_leaders``, the Government flag). A quota of qualifying
    leaders binds the forwarding and the decision, not the filing: the council compares the nominees."""

    model_config = STRICT
    per: Literal["bloc_year", "province_year"]
    max: int | None = Field(default=None, ge=0, le=10_000)
    share: Share | None = None
    of: Literal["blocs", "qualifying_leaders"] = "blocs"
    leaders_of: list[FormCode] = Field(default_factory=list, max_length=10)
    standard: FormCode | None = None
    citation: Citation

    @model_validator(mode="after")
    def _limit_given(self) -> Quota:
        if self.per == "bloc_year" and self.max is None:
            raise ValueError("a quota per bloc and year needs max")
        if self.per == "province_year" and self.max is None and self.share is None:
            raise ValueError("a quota per province and year needs max or share")
        if self.of == "qualifying_leaders" and (self.per != "province_year" or self.share is None
                                                or not self.leaders_of or self.standard is None):
            raise ValueError("a quota of qualifying leaders is per province and year and needs share, "
                             "leaders_of and standard")
        return self

    @property
    def binds_filing(self) -> bool:
        return self.of != "qualifying_leaders"


class VoteRules(BaseModel):
    """A bloc's honouring vote: a candidate needs more than (``more_than``) or at least ``threshold`` of the
    members' votes; more than ``quorum`` of the members must cast a ballot."""

    model_config = STRICT
    threshold: Share = 0.5
    more_than: bool = Field(default=True, description="more than the share (simple majority), or at least it")
    quorum: float = Field(default=0.5, ge=0, lt=1)
    of_present: bool = Field(default=False, description="the threshold is a share of the members who voted, "
                                                        "not of all the members")
    citation: Citation


class CouncilRules(BaseModel):
    """The provincial council: ``approve`` needs at least ``share`` of all ``members`` (flags) or more than
    ``share`` of the votes cast (``voting``); ``quorum``, when set, is the share of members present."""

    model_config = STRICT
    share: Share
    of: Literal["members", "voting"]
    quorum: Share | None = None
    citation: Citation


class Deadline(BaseModel):
    """A date relative to the award's year: ``month``/``day`` of ``year + year_offset``."""

    model_config = STRICT
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    year_offset: int = Field(default=0, ge=0, le=2)
    citation: Citation

    @model_validator(mode="after")
    def _a_real_day(self) -> Deadline:
        try:
            date(2001, self.month, self.day)
        except ValueError as error:
            raise ValueError(f"{self.day}/{self.month} is not a day of every year") from error
        return self

    def for_year(self, year: int) -> date:
        return date(year + self.year_offset, self.month, self.day)


class FormRules(BaseModel):
    """What a rulebook says about one award form; stored as ``AwardForm.rules`` in ``RulebookAdopted``."""

    model_config = STRICT
    name_en: Line = Field(min_length=1, max_length=200)
    base_multiple: float = Field(ge=0, le=100, description="reward money as a multiple of the base salary")
    eligibility: list[Rule] = Field(default_factory=list, max_length=30)
    vote: VoteRules | None = None
    council: CouncilRules | None = None
    quota: Quota | None = None
    documents: list[Annotated[str, Field(pattern=r"^[a-z_]{2,40}$")]] = Field(
        default_factory=list, max_length=30, description="the dossier's documents before the council")
    forward_documents: list[Annotated[str, Field(pattern=r"^[a-z_]{2,40}$")]] = Field(
        default_factory=list, max_length=30,
        description="documents the dossier needs when forwarded (e.g. the council's minutes)")
    file_by: Deadline | None = None
    central: bool = Field(default=False, description="decided at the central level after the province forwards it")
    forward_by: Deadline | None = None


PROVINCIAL = "UBND tỉnh"
"""How a rulebook names the provincial People's Committee in a form's deciding authority."""


class Form(BaseModel):
    model_config = STRICT
    code: FormCode
    name: Line = Field(min_length=1, max_length=200, description="the form's Vietnamese name")
    decided_by: Line = Field(min_length=1, max_length=200)
    rules: FormRules

    def authority_in_office(self, province_name: str | None) -> str:
        """Who signs the decision, named as on the decision's day: a provincial authority (``Chủ tịch UBND tỉnh``)
        with the province in office (``Chủ tịch UBND tỉnh Ninh Bình``: after a merger of provinces, the new
        province's Chairman decides); a central one as it stands."""
        if province_name and self.decided_by.endswith(PROVINCIAL):
            return f"{self.decided_by} {province_name}"
        return self.decided_by

    def contract(self) -> AwardForm:
        return AwardForm(code=self.code, name=self.name, decided_by=self.decided_by,
                         rules=self.rules.model_dump(mode="json"))


class Rulebook(BaseModel):
    model_config = STRICT
    version: str
    effective_from: date
    legal_basis: list[str]
    forms: list[Form]
    exclusive: list[ExclusiveForms] = Field(default_factory=list, max_length=20)
    """Sets of forms a unit holds at most one of for a year's achievement."""

    def form(self, code: str) -> Form | None:
        return next((form for form in self.forms if form.code == code), None)

    def codes(self) -> str:
        return ", ".join(form.code for form in self.forms)

    def exclusive_with(self, code: str) -> list[tuple[list[str], Cite]]:
        """The other forms of each exclusive set that holds ``code``, with the set's citation."""
        return [([form for form in group.forms if form != code], group.citation)
                for group in self.exclusive if code in group.forms]

    def standard_of(self, code: str) -> list[Rule]:
        """A form's standard: its eligibility rules but the vote that honours for it (and, to stay finite,
        another form's standard)."""
        form = self.form(code)
        if form is None:
            return []
        return [rule for rule in form.rules.eligibility if not isinstance(rule, HonouredByVote | MeetsFormStandard)]

    @classmethod
    def from_event(cls, event: RulebookAdopted) -> Rulebook:
        return cls(version=event.version, effective_from=event.effective_from, legal_basis=list(event.legal_basis),
                   exclusive=[ExclusiveForms.model_validate(group) for group in event.exclusive],
                   forms=[Form(code=form.code, name=form.name, decided_by=form.decided_by,
                               rules=FormRules.model_validate(form.rules)) for form in event.forms])

    def adopted(self) -> RulebookAdopted:
        return RulebookAdopted(version=self.version, effective_from=self.effective_from,
                               legal_basis=self.legal_basis, forms=[form.contract() for form in self.forms],
                               exclusive=[group.model_dump(mode="json") for group in self.exclusive])


LEADER_PLACES = 3
"""The national default of a provincial choice: the unit a bloc honours as its leader is among the first three
of its published ranking (a province's rulebook may say first only)."""


def _national(version: str, effective_from: date, decree: Cite, cite: dict[str, Cite]) -> Rulebook:
    """A national default; ``cite`` names the decree's place for each rule where DOMAIN.md gives it."""
    law = LAW_2022
    registered = Registered(citation=rules_of("sổ đơn vị của tỉnh (các quyết định thành lập)",
                                              "the province's registry of units (the decisions establishing them)"))
    frozen = NotFrozen(citation=cite["freeze"])
    practice_places = rules_of("lựa chọn của tỉnh: số vị trí đầu bảng xếp hạng",
                               "a provincial choice: the places at the top of the ranking")

    def member_titles() -> Attested:
        return Attested(fact="member_titles", citation=law.with_place(
            note="danh hiệu của các cá nhân trong tập thể", note_en="the titles of the collective's members"))

    exclusive = [ExclusiveForms(forms=["GOV_FLAG", "PROV_FLAG", "PROV_MERIT"], citation=law.with_place(
        note="nguyên tắc: không khen thưởng nhiều lần, nhiều hình thức cho một thành tích; thực tiễn của tỉnh",
        note_en="principle: one achievement is not commended twice or by several forms; provincial practice"))]
    council_rules = decree.with_place(note="quy chế làm việc của Hội đồng", note_en="the council's working rules")
    return Rulebook(version=version, effective_from=effective_from, legal_basis=[law.vietnamese(), decree.vietnamese()],
                    exclusive=exclusive, forms=[
        Form(code="GOV_FLAG", name="Cờ thi đua của Chính phủ", decided_by="Thủ tướng Chính phủ", rules=FormRules(
            name_en="The Government's Emulation Flag", base_multiple=12,
            eligibility=[
                registered,
                LeadsBloc(places=LEADER_PLACES, citation=practice_places),
                HonouredByVote(citation=cite["gov_flag"]),
                MeetsFormStandard(form="PROV_FLAG", citation=cite["gov_flag"]),
                frozen,
            ],
            vote=VoteRules(citation=cite["gov_flag"]),
            council=CouncilRules(share=0.8, of="members", citation=cite["council"]),
            quota=Quota(per="province_year", share=0.2, of="qualifying_leaders", leaders_of=["GOV_FLAG", "PROV_FLAG"],
                        standard="PROV_FLAG", citation=cite["gov_flag"]),
            documents=["submission", "achievement_report"],
            forward_documents=["council_minutes"],
            central=True,
            forward_by=Deadline(month=6, day=30, year_offset=1, citation=cite["forward"]),
        )),
        Form(code="PROV_FLAG", name="Cờ thi đua của UBND tỉnh", decided_by="Chủ tịch UBND tỉnh", rules=FormRules(
            name_en="The Provincial People's Committee's Emulation Flag", base_multiple=8,
            eligibility=[
                registered,
                LeadsBloc(places=LEADER_PLACES, citation=practice_places),
                HonouredByVote(citation=law.with_place(26)),
                ExceededTargets(citation=law.with_place(26, 1, "a")),
                Attested(fact="internal_unity", citation=law.with_place(26, 1, "b")),
                Attested(fact="party_excellent", citation=law.with_place(26, 1, "b")),
                frozen,
            ],
            vote=VoteRules(citation=law.with_place(26)),
            council=CouncilRules(share=0.8, of="members", citation=cite["council"]),
            quota=Quota(per="bloc_year", max=1, citation=rules_of("thực tiễn của tỉnh: mỗi khối một cờ mỗi năm",
                                                                  "provincial practice: one flag per bloc and year")),
            documents=["submission", "achievement_report", "vote_minutes"],
        )),
        Form(code="PROV_MERIT", name="Bằng khen của Chủ tịch UBND tỉnh", decided_by="Chủ tịch UBND tỉnh",
             rules=FormRules(
                 name_en="The Certificate of Merit of the Chairman of the Provincial People's Committee",
                 base_multiple=3,
                 eligibility=[
                     registered,
                     AnyOf(citation=decree.with_place(note="bằng khen: một trong các căn cứ",
                                                      note_en="certificate of merit: one of its grounds"), of=[
                         HonouredByVote(citation=rules_of("tiêu biểu trong phong trào thi đua, được khối suy tôn",
                                                          "outstanding in a movement, honoured by its bloc")),
                         QualityRated(rating="excellent", years=2, citation=decree.with_place(
                             note="hai năm liên tục hoàn thành xuất sắc nhiệm vụ",
                             note_en="two consecutive years of excellent completion of tasks")),
                     ]),
                     frozen,
                 ],
                 vote=VoteRules(citation=rules_of("quy chế thi đua của tỉnh", "the province's emulation rules")),
                 council=CouncilRules(share=0.5, of="voting", citation=council_rules),
                 documents=["submission", "achievement_report"],
             )),
        Form(code="EXCELLENT_COLLECTIVE", name="Tập thể lao động xuất sắc", decided_by="Chủ tịch UBND tỉnh",
             rules=FormRules(
                 name_en="Excellent Labour Collective", base_multiple=1.5,
                 eligibility=[registered,
                              QualityRated(rating="excellent", citation=law.with_place(
                                  note="hoàn thành xuất sắc nhiệm vụ", note_en="excellent completion of tasks")),
                              member_titles(), frozen],
                 council=CouncilRules(share=0.5, of="voting", citation=council_rules),
                 documents=["submission", "achievement_report"],
             )),
        Form(code="ADVANCED_COLLECTIVE", name="Tập thể lao động tiên tiến", decided_by="Thủ trưởng cơ quan",
             rules=FormRules(
                 name_en="Advanced Labour Collective", base_multiple=0.8,
                 eligibility=[registered,
                              QualityRated(rating="good", citation=law.with_place(
                                  note="hoàn thành tốt nhiệm vụ", note_en="good completion of tasks")),
                              member_titles(), frozen],
                 documents=["submission"],
             )),
    ])


NATIONAL_DEFAULTS: tuple[Rulebook, ...] = (
    _national("VN-98-2023", date(2024, 1, 1), DECREE_98, {
        "gov_flag": DECREE_98.with_place(note="tiêu chuẩn Cờ thi đua của Chính phủ",
                                         note_en="the Government flag's standard"),
        "council": DECREE_98.with_place(30),
        "freeze": DECREE_98.with_place(note="không khen thưởng khi đang xem xét kỷ luật, thanh tra, khiếu nại",
                                       note_en="no award while a review is pending"),
        "forward": DECREE_98.with_place(note="hồ sơ Cờ thi đua của Chính phủ", note_en="Government-flag dossiers"),
    }),
    _national("VN-152-2025", date(2025, 7, 1), DECREE_152, {
        "gov_flag": DECREE_152.with_place(7, 1),
        "council": DECREE_152.with_place(33, 5),
        "freeze": DECREE_152.with_place(4, 4),
        "forward": DECREE_152.with_place(35),
    }),
)


def in_force(on: date, adopted: Iterable[Rulebook] = ()) -> Rulebook:
    """The rulebook version in force on ``on``: the latest (national or the province's own) whose effective
    date has come; before the first, the first."""
    books = sorted((*NATIONAL_DEFAULTS, *adopted), key=lambda book: book.effective_from)
    applicable = [book for book in books if book.effective_from <= on]
    return applicable[-1] if applicable else books[0]


def filing_season(year: int) -> date:
    """The day an award year's dossiers begin to be received (the year-end reviews, early the next year): the
    rulebook in force then is the one a question about that year's awards is judged by, not today's."""
    return date(year + 1, 1, 1)
