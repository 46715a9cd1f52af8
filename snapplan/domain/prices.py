"""Prices: an append-only history of what one pack of a product costs.

Costs stored on definitions go stale (the anchors' mistake); snapplan keeps quotes instead.
A :class:`PriceQuote` says what one pack of a product cost, in which currency, as of when; the
price of a product *as of* a time is its latest quote with ``at <= as_of`` (ties: the higher
``seq``), so any past shopping list or cost can be computed again exactly. ``0`` is a real price
(a gift); an unknown price is no quote at all, never a zero.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final

import attrs

from snapplan.domain.validators import (
    fail,
    is_id,
    new_id,
    non_negative,
    sequence_number,
    text,
    to_amount,
    to_id,
    utc_timestamp,
)

_ISO_4217 = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN
    BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP
    ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
    JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK
    MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
    PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB
    TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD
    XCG XOF XPF YER ZAR ZMW ZWG ZWL
"""
#: ISO 4217 codes of the currencies in use (the precious-metal and testing codes left out).
CURRENCIES: Final = frozenset(_ISO_4217.split())


def to_currency(value: Any) -> Any:
    """attrs converter: a currency code's surrounding spaces go (its case stays: ``eur`` is
    reported, not guessed at)."""
    return value.strip() if isinstance(value, str) else value


def currency_problem(value: Any) -> str | None:
    """What keeps ``value`` from being a currency code of ISO 4217 (None when it is one)."""
    if not isinstance(value, str) or len(value) != 3 or not value.isascii() or not value.isupper():
        return f"must be three upper-case letters (EUR), not {value!r:.20}"
    if value not in CURRENCIES:
        return f"{value!r} is not a currency code of ISO 4217"
    return None


def currency_code(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: three upper-case letters naming a currency of ISO 4217."""
    problem = currency_problem(value)
    if problem is not None:
        raise fail(instance, attribute, problem)


@attrs.frozen(kw_only=True)
class PriceQuote:
    """One pack of ``product_id`` cost ``price`` ``currency`` as of ``at``.

    ``seq`` is the quote's place in the store's price history (1, 2, 3 … without gaps).
    """

    product_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    price: Decimal = attrs.field(converter=to_amount, validator=non_negative)
    currency: str = attrs.field(converter=to_currency, validator=currency_code)
    at: datetime.datetime = attrs.field(validator=utc_timestamp)
    seq: int = attrs.field(validator=sequence_number)
    note: str = attrs.field(default="", validator=text)
    id: uuid.UUID = attrs.field(factory=new_id, converter=to_id, validator=is_id)


def price_as_of(
    quotes: Iterable[PriceQuote], product_id: uuid.UUID, as_of: datetime.datetime
) -> PriceQuote | None:
    """The quote in force for ``product_id`` at ``as_of``: the latest with ``at <= as_of``,
    the higher ``seq`` on a tie; None when the product had no price yet."""
    best: PriceQuote | None = None
    for quote in quotes:
        if quote.product_id != product_id or quote.at > as_of:
            continue
        if best is None or (quote.at, quote.seq) > (best.at, best.seq):
            best = quote
    return best


def prices_as_of(
    quotes: Iterable[PriceQuote], as_of: datetime.datetime
) -> dict[uuid.UUID, PriceQuote]:
    """The quote in force at ``as_of`` of every product that has one, by product id."""
    best: dict[uuid.UUID, PriceQuote] = {}
    for quote in quotes:
        if quote.at > as_of:
            continue
        held = best.get(quote.product_id)
        if held is None or (quote.at, quote.seq) > (held.at, held.seq):
            best[quote.product_id] = quote
    return best
