"""Chinese personal names and mobile numbers for demo data, drawn quickly from weighted tables.

Surnames are weighted as in a minority prefecture of Guizhou (杨 吴 龙 潘 石 罗 are common there)
on top of the national ones (王 李 张 刘 陈 …). Given names use older characters for people born
before about 1995 and the fashionable ones for the young.
"""
from __future__ import annotations

from bisect import bisect
from itertools import accumulate
from random import Random
from typing import Generic, Sequence, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed weighted choice: one random() and one bisect per draw (random.choices is slower)."""

    def __init__(self, items: Sequence[tuple[T, float]]):
        self.values = [v for v, _ in items]
        self.cum = list(accumulate(w for _, w in items))
        self.total = self.cum[-1]

    def pick(self, rng: Random) -> T:
        return self.values[bisect(self.cum, rng.random() * self.total)]


def weighted_text(spec: str) -> Weighted[str]:
    """From a compact list separated by blanks: '王5 李5 张4' or, for codes, 'home:80 phone:12'."""
    items = []
    for token in spec.split():
        if ":" in token:
            value, weight = token.split(":")
        else:
            value = token.rstrip("0123456789.")
            weight = token[len(value):] or "1"
        items.append((value, float(weight)))
    return Weighted(items)


SURNAMES = weighted_text(
    "杨10 吴9 龙6 潘5 石4 罗4 王5 李5 张4 刘3 陈3 黄3 赵2 周2 欧2 姜2 田2 文2 韦2 何2 邰1 顾1 万1 唐1 "
    "胡1 徐1 孙1 马1 朱1 高1 林1 郭1 梁1 宋1 郑1 谢1 韩1 冯1 邓1 彭1 曾1 蒋1 蔡1 余1 袁1 卢1 杜1 熊1 "
    "金1 陆1 莫1 滚0.5 宋0.5 令0.3 雷1 侯0.5 舒0.5 代0.5 付0.5 邱0.5")

_MALE_OLD = "建国 伟 强 军 勇 明 华 平 志 文 波 林 斌 海 涛 刚 辉 光 忠 荣 福 贵 发 富 德 金 兴 昌 学 才 云 江 山 松 顺 祥 安 元 生 成 正 清 洪 武 树 春"
_MALE_YOUNG = "浩 宇 轩 子 博 泽 晨 俊 鑫 豪 杰 鹏 磊 超 凯 睿 航 乐 天 一 梓 铭 瑞 骏 宸 阳 嘉 泓 奕 辰 逸 恒"
_FEMALE_OLD = "芳 秀 英 兰 梅 丽 娟 霞 燕 红 玉 珍 凤 琴 花 艳 萍 敏 静 春 桂 香 月 翠 莲 菊 仙 妹 群 琼 素 金 银"
_FEMALE_YOUNG = "婷 雪 莉 美 琳 欣 怡 佳 雨 涵 萱 悦 思 妍 琪 梦 瑶 诗 可 馨 蕊 彤 琦 语 然 慧 洁 露 丹 晶 媛 若"
_POOLS = {
    (True, False): _MALE_OLD.split(),
    (True, True): _MALE_YOUNG.split(),
    (False, False): _FEMALE_OLD.split(),
    (False, True): _FEMALE_YOUNG.split(),
}
_MOBILE_PREFIXES = [p for p in (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "166 170 173 175 176 177 178 180 181 182 183 184 185 186 187 188 189 191 195 198 199").split()]


def surname(rng: Random) -> str:
    return SURNAMES.pick(rng)


def given_name(rng: Random, male: bool, birth_year: int) -> str:
    """One or two characters; people born after 1995 get the newer characters more often."""
    young = birth_year >= 1995 if rng.random() < 0.85 else birth_year < 1995
    pool = _POOLS[(male, young)]
    first = pool[int(rng.random() * len(pool))]
    if len(first) > 1 or rng.random() < 0.22:
        return first
    other = _POOLS[(male, rng.random() < 0.5)]
    second = other[int(rng.random() * len(other))]
    while len(second) > 1 or second == first:
        second = other[int(rng.random() * len(other))]
    return first + second


def full_name(rng: Random, family: str, male: bool, birth_year: int) -> str:
    return family + given_name(rng, male, birth_year)


def mobile(rng: Random) -> str:
    """A valid mainland mobile number: 1[3-9] and nine more digits."""
    prefix = _MOBILE_PREFIXES[int(rng.random() * len(_MOBILE_PREFIXES))]
    return f"{prefix}{int(rng.random() * 100_000_000):08d}"
