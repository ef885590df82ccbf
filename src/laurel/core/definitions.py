"""Definition files (campaigns, treatment policies): safe YAML that keeps the line of every key,
and JSON-schema problems worded in Chinese, each naming its line and key."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    line: int | None
    path: str
    message: str

    def __str__(self):
        where = _("第%(line)d行") % {"line": self.line} if self.line else _("文件")
        return (
            f"{where}（{self.path}）：{self.message}" if self.path else f"{where}：{self.message}"
        )


class DefinitionError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Definition:
    data: dict[str, Any]
    lines: dict[Path_, int]
    source: str = ""

    def line(self, path: Path_) -> int | None:
        """The line of ``path`` or of its nearest ancestor."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    def problem(self, path: Path_, message: str) -> Problem:
        return Problem(self.line(path), format_path(path), message)


def format_path(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# --- parsing --------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit dates: dates stay text until the schema has checked them."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _walk(node, path: Path_, lines: dict, problems: list[Problem]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            child = (*path, key)
            if key in seen:
                problems.append(
                    Problem(key_node.start_mark.line + 1, format_path(child), _("重复的项。"))
                )
            seen.add(key)
            lines[child] = key_node.start_mark.line + 1
            _walk(value_node, child, lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, problems)


def parse(text: str, source: str = "") -> Definition:
    if "\x00" in text:  # PostgreSQL stores no NUL in text
        raise DefinitionError(
            [Problem(None, "", _("文件中含有不可见的控制字符（NUL），请检查文件。"))]
        )
    try:
        # No aliases (*name): a definition is written out in full, and an alias that repeats
        # another many times over (or contains itself) would blow up every walk of the data.
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                raise DefinitionError(
                    [
                        Problem(
                            event.start_mark.line + 1,
                            "",
                            _("定义文件中不能使用 YAML 别名（*）：请直接写出内容。"),
                        )
                    ]
                )
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except RecursionError:  # nesting thousands deep
        raise DefinitionError([Problem(None, "", _("定义文件嵌套层次过深。"))]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise DefinitionError(
            [
                Problem(
                    mark.line + 1 if mark else None,
                    "",
                    _("YAML 格式错误：%(problem)s") % {"problem": error.problem or error},
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        raise DefinitionError([Problem(None, "", _("YAML 格式错误：%s") % error)]) from None

    if not isinstance(data, dict):
        raise DefinitionError([Problem(1, "", _("定义文件的顶层应为键值表。"))])
    lines: dict[Path_, int] = {}
    problems: list[Problem] = []
    try:
        _walk(node, (), lines, problems)
    except RecursionError:
        raise DefinitionError([Problem(None, "", _("定义文件嵌套层次过深。"))]) from None
    if problems:
        raise DefinitionError(problems)
    return Definition(data, lines, source)


# --- schema -----------------------------------------------------------------------------------

TYPE_NAMES = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "object": "键值表",
    "array": "列表",
    "null": "空值",
}


def _schema_message(error) -> str:
    validator, value = error.validator, error.validator_value
    if validator == "required":
        name = re.search(r"'(.+?)' is a required property", error.message)
        return _("缺少必填项“%s”。") % (name.group(1) if name else "")
    if validator == "additionalProperties":
        names = re.findall(r"'(.+?)'", error.message.split("(")[-1])
        return _("不认识的项：%s（请检查拼写）。") % "、".join(names)
    if validator == "type":
        kinds = value if isinstance(value, list) else [value]
        return _("应为%s。") % "或".join(TYPE_NAMES.get(k, k) for k in kinds)
    if validator == "minimum":
        return _("不能小于%s。") % value
    if validator == "maximum":
        return _("不能大于%s。") % value
    if validator == "enum":
        return _("应为以下之一：%s。") % "、".join(str(v) for v in value)
    if validator == "const":
        return _("应为 %s。") % value
    if validator == "pattern":
        if "\\d{4}" in value:
            return _("应为日期，格式 YYYY-MM-DD。")
        return _("只能使用小写字母、数字、- 和 _，并以字母或数字开头。")
    if validator == "minLength":
        return _("不能为空。")
    if validator == "maxLength":
        return _("不能超过%s个字符。") % value
    if validator == "minItems":
        return _("至少需要%s项。") % value
    if validator == "anyOf":
        return _("须填写 division（行政区划代码）或 unit（承办单位全称）。")
    return error.message


def schema_problems(definition: Definition, schema: dict) -> list[Problem]:
    """The definition against ``schema`` (JSON Schema 2020-12), sorted by line."""
    problems = []
    for error in Draft202012Validator(schema).iter_errors(definition.data):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            extra = re.findall(r"'(.+?)'", error.message.split("(")[-1])
            if extra:
                path = (*path, extra[0])  # point at the misspelt key's own line
        problems.append(definition.problem(path, _schema_message(error)))
    return sorted(problems, key=lambda p: (p.line or 0, p.path))
