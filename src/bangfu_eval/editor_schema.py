"""JSON Schemas of a year's files, for editors: ``bangfu schema --out DIR`` writes one per file
(funds.schema.json, …) and ``bangfu init`` points each YAML file at its schema with a
``# yaml-language-server: $schema=…`` line, so that an editor with a YAML extension completes
field names, shows each field's Chinese name and flags a wrong field as the user types.

The schemas come from the pydantic models (``models.py``), with three changes: each field's
title is its Chinese name (``ZH``); the fields whose values are the policy's codes (类别, 状态,
帮扶类型, 发放方式, 资金来源) list those codes with their Chinese names; and a text field also
accepts a bare number, as bangfu does (it reads every scalar as text before typing it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bangfu_eval import models as m

DIALECT = "https://json-schema.org/draft/2020-12/schema"

SCHEMAS: dict[str, type[BaseModel]] = {
    "project.yaml": m.ProjectFile,
    "funds.yaml": m.FundsFile,
    "indicators.yaml": m.IndicatorsFile,
    "targets.yaml": m.TargetsFile,
    "narrative.yaml": m.NarrativeFile,
    "households.yaml": m.HouseholdsFile,
    "disbursements.yaml": m.DisbursementsFile,
    "policy.yaml": m.Policy,
}

ZH: dict[str, str] = {
    "acknowledge": "已确认的问题",
    "actual": "实际值",
    "actual_figure": "实际值取自计算数",
    "address": "地址",
    "allocated": "下达/安排资金（元）",
    "allowed_uses": "资金允许用途",
    "amount": "金额（元）",
    "archived_on": "建档日期",
    "arrived": "到位资金（元）",
    "at_least": "不低于",
    "at_most": "不高于",
    "bands": "等级区间",
    "basis": "口径",
    "batch": "发放批次",
    "batches": "发放批次",
    "caps": "救助标准上限",
    "card_number": "社保卡/银行卡号",
    "carried_in": "上年结转（元）",
    "carried_in_included": "上年结转已含在到位资金中",
    "carried_out": "结转下年（元）",
    "carry_over_report": "结转报告",
    "carry_over_report_kinds": "需结转报告的资金类别",
    "cash_methods": "现金发放方式",
    "categories": "困难类别",
    "category": "困难类别",
    "central_kinds": "中央资金类别",
    "children": "下级指标",
    "code": "问题代码",
    "criterion": "评价标准",
    "data_checks": "数据比对日期",
    "date": "日期",
    "declared": "申报数",
    "disbursement_types": "帮扶类型",
    "disbursements": "发放记录",
    "eligible_statuses": "可发放的档案状态",
    "evaluation": "评价",
    "evaluators": "评价人员",
    "evidence": "评分依据",
    "exited_on": "退档（脱困）日期",
    "figure": "计算数名称",
    "file": "文件",
    "from_year": "起始年度",
    "grade": "等级",
    "grade_bands": "评价等次分数线",
    "graduation_months": "渐退期（月）",
    "heading": "标题",
    "household": "帮扶对象（户编号）",
    "households": "困难职工家庭",
    "id": "编号",
    "id_number": "身份证号",
    "issuer": "发文/报告单位",
    "kind": "类别",
    "levels": "各级指标名称",
    "line": "行号",
    "local_kinds": "地方配套资金类别",
    "matching": "配套比例",
    "measure": "计算评分",
    "method": "发放方式",
    "min": "最低分",
    "min_utilisation": "最低使用率",
    "name": "名称/姓名",
    "nodes": "指标",
    "note": "备注",
    "notice": "通知",
    "number": "文号",
    "op": "比较方式",
    "paragraphs": "段落",
    "payment_deadline": "发放截止日（月-日）",
    "payment_methods": "发放方式",
    "per": "计算单位",
    "period_end": "项目结束日期",
    "period_start": "项目起始日期",
    "phone": "联系电话",
    "planned_amount": "计划投资额",
    "postcode": "邮编",
    "preamble": "导语",
    "primary": "主指标体系",
    "project": "项目",
    "project_name": "项目名称",
    "project_type": "项目类型",
    "publicity_end": "公示结束日期",
    "publicity_min_days": "最短公示天数",
    "publicity_start": "公示开始日期",
    "publicity_working_days": "公示按工作日计",
    "rate_base": "使用率口径",
    "ratio": "比例",
    "reason": "确认理由",
    "requirement": "评价要求",
    "responsible_person": "项目负责人",
    "score": "得分",
    "sections": "章节",
    "signed": "本人签名",
    "source": "资金来源/出处",
    "source_kinds": "资金来源类别",
    "sources": "资金来源",
    "spent": "支出（元）",
    "status": "档案状态",
    "statuses": "档案状态",
    "subtitle": "副标题",
    "supervisor": "主管部门",
    "synthetic": "合成数据",
    "target": "目标值",
    "target_text": "绩效目标（原文）",
    "targets": "绩效目标",
    "text": "原文",
    "title": "标题",
    "trees": "指标体系",
    "type": "帮扶类型",
    "unit": "单位",
    "uses": "允许用途",
    "value": "数值",
    "visits": "入户核查日期",
    "weight": "分值",
    "work_unit": "工作单位",
    "year": "年度",
    "zero_balance_kinds": "年末不得结余的资金类别",
}

CODED = {
    ("Household", "category"): "categories",
    ("Household", "status"): "statuses",
    ("Disbursement", "type"): "disbursement_types",
    ("Disbursement", "method"): "payment_methods",
    ("Source", "kind"): "source_kinds",
}


def schema_for(
    file: str, policy: m.Policy | None = None, sources: dict[str, str] | None = None
) -> dict[str, Any]:
    """The JSON Schema of ``file``; with a policy (and the year's sources), coded fields list
    their codes."""
    model = SCHEMAS[file]
    doc = model.model_json_schema(mode="validation")
    defs: dict[str, Any] = doc.get("$defs", {})
    for name, sub in [(model.__name__, doc), *defs.items()]:
        for field, prop in sub.get("properties", {}).items():
            _field(prop, field)
            codes = _codes(name, field, policy, sources)
            if codes:
                prop["enum"] = list(codes)
                prop["description"] = " · ".join(f"{k} {v}" for k, v in codes.items())
                prop.pop("type", None)
    if model is m.Policy:
        doc.pop("required", None)  # a year's policy.yaml gives only the keys it changes
    return {"$schema": DIALECT, "$id": file.replace(".yaml", ".schema.json"), **doc}


def _codes(
    model: str, field: str, policy: m.Policy | None, sources: dict[str, str] | None
) -> dict[str, str] | None:
    if model == "Disbursement" and field == "source" and sources:
        return sources
    key = CODED.get((model, field))
    return getattr(policy, key) if policy is not None and key else None


def _field(prop: dict[str, Any], field: str) -> None:
    if field in ZH:
        prop["title"] = ZH[field]
    _loosen(prop)


def _loosen(prop: dict[str, Any]) -> None:
    """bangfu reads every scalar as text: a bare 2022 or 01 where text is expected is fine."""
    if prop.get("type") == "string" and "format" not in prop and "enum" not in prop and "const" not in prop:
        prop["type"] = ["string", "number"]
    for key in ("anyOf", "oneOf"):
        for alt in prop.get(key, []):
            _loosen(alt)
    if isinstance(prop.get("items"), dict):
        _loosen(prop["items"])


def write_text(file: str, policy: m.Policy | None = None, sources: dict[str, str] | None = None) -> str:
    return json.dumps(schema_for(file, policy, sources), ensure_ascii=False, indent=2) + "\n"


def header(file: str, schema_dir: str = "schema") -> str:
    """The first line that points an editor's YAML extension at the file's schema."""
    return f"# yaml-language-server: $schema={schema_dir}/{file.replace('.yaml', '.schema.json')}\n"


def for_year(directory: Path | None) -> tuple[m.Policy | None, dict[str, str] | None]:
    """A year's policy and fund sources (the package defaults without a year)."""
    import tempfile

    from bangfu_eval.load import load_year

    if directory is None:
        with tempfile.TemporaryDirectory() as empty:
            return load_year(Path(empty)).policy, None
    loaded = load_year(directory)
    funds = loaded.get("funds.yaml", m.FundsFile)
    return loaded.policy, ({s.id: s.name for s in funds.sources} if funds else None)


def write_all(out: Path, directory: Path | None = None) -> list[Path]:
    """One schema file per file of a year in ``out`` (created), each written atomically."""
    from bangfu_eval.output import write_atomic

    policy, sources = for_year(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for file in SCHEMAS:
        path = out / file.replace(".yaml", ".schema.json")
        write_atomic(path, write_text(file, policy, sources).encode("utf-8"), force=True)  # regenerated
        written.append(path)
    return written
