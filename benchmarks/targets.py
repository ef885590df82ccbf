"""The performance targets (issues 10 and 22; docs/performance.md), printed after each
measurement as "met" or "not met", so that `make bench` answers for every line."""


def verdict(target: str, ratio: float, limit: float, *, at_most: bool) -> str:
    """``ratio`` against ``limit``: ``at_most`` (a time ratio, lower is better) or at least (a
    throughput ratio or a speed-up, higher is better)."""
    met = ratio <= limit if at_most else ratio >= limit
    sign = "≤" if at_most else "≥"
    return f"  target {target}: {ratio:.2f} {sign} {limit:g} — {'met' if met else 'not met'}"


def report(target: str, ratio: float, limit: float, *, at_most: bool) -> None:
    print(verdict(target, ratio, limit, at_most=at_most), flush=True)
