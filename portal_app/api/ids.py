"""The `{name:id}` path parameter of our routes: a database id, at most 2^63 - 1.

Starlette's `int` takes any run of digits; an id past 64 bits then overflowed in the database
driver, a 500. The `id` pattern only matches numbers the database can hold, so a longer one
matches no route and gets the same 404 as a missing id.
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor

from portal_app.domain.core.formats import MAX_RECORD_ID


def _at_most(limit: str) -> str:
    """A regex for the numbers of len(limit) digits up to `limit`, or of fewer digits."""
    branches = [f"[0-9]{{1,{len(limit) - 1}}}", limit]
    for index, digit in enumerate(limit):
        if digit != "0":
            lower = f"[0-{int(digit) - 1}]"
            branches.append(f"{limit[:index]}{lower}[0-9]{{{len(limit) - index - 1}}}")
    # Leading zeros do not change the value.
    return "0*(?:" + "|".join(branches) + ")"


class IdConvertor(Convertor[int]):
    regex = _at_most(str(MAX_RECORD_ID))

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())
