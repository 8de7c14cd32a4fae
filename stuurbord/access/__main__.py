"""python -m stuurbord.access [--secrets PATH]: check this server's login configuration the
way the app reads it (the same secrets files and .streamlit/config.toml). Exit code 0 when
Stuurbord will let people in as configured, 1 when it would refuse everyone (use it before
starting the service, e.g. as ExecStartPre). Prints no secret values."""
from __future__ import annotations

import argparse
import sys
import tomllib
from urllib.parse import urlparse

from . import identity

MODES = {identity.OIDC: "inloggen via OpenID Connect ([auth] in secrets.toml)",
         identity.PROXY: "identiteit van een vertrouwde proxy (server.trustedUserHeaders)",
         identity.OPEN: "geen inlog (alleen de demo; echte gegevens alleen met STUURBORD_ZONDER_INLOG=1)"}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def report(cfg: identity.Config) -> tuple[list[str], list[str]]:
    """(lines to print, errors)."""
    from streamlit import config
    lines = [f"Manier: {MODES[cfg.mode]}"]
    warnings = list(cfg.warnings)
    if cfg.mode == identity.OIDC:
        lines.append(f"Aanbieder: {cfg.provider or 'de sectie [auth] zelf'}; redirect_uri: "
                     f"{cfg.auth.get('redirect_uri', '-')}")
    if cfg.mode != identity.OPEN:
        lines.append(f"Rollen uit claim '{cfg.claim}': " + ", ".join(
            f"{role} {len(cfg.groups.get(role, ()))} groep(en)" for role in identity.ROLES))
        lines.append(f"Contact bij geen toegang: {cfg.contact}")
        hosts = [h.lower() for h in (config.get_option("server.allowedHosts") or [])]
        if not hosts or "*" in hosts:
            warnings.append("server.allowedHosts staat niet op de hostnaam van Stuurbord (bescherming tegen "
                            "DNS-rebinding; zie docs/deployment.md)")
        host = (urlparse(str(cfg.auth.get("redirect_uri", ""))).hostname or "").lower()
        if host and hosts and "*" not in hosts and not any(
                host == h or (h.startswith("*.") and host.endswith(h[1:])) for h in hosts):
            warnings.append(f"de host van redirect_uri ({host}) staat niet in server.allowedHosts "
                            f"({', '.join(hosts)}): de browser krijgt dan geen verbinding")
    if cfg.mode == identity.PROXY and config.get_option("server.address") not in LOOPBACK:
        warnings.append("server.address is niet 127.0.0.1: met een proxy mag Stuurbord alleen via die proxy "
                        "bereikbaar zijn (anders kan iedereen de headers zelf meesturen)")
    if cfg.mode == identity.OPEN and identity.override():
        warnings.append("STUURBORD_ZONDER_INLOG=1: iedereen die Stuurbord kan bereiken ziet alles")
    lines += [f"Waarschuwing: {w}" for w in warnings]
    lines += [f"Fout: {p}" for p in cfg.problems]
    return lines, list(cfg.problems)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m stuurbord.access",
                                description="Controleer de inlog- en rolinstellingen van Stuurbord.")
    p.add_argument("--secrets", help="een secrets.toml (standaard: waar Streamlit zoekt, .streamlit/secrets.toml)")
    args = p.parse_args(argv)
    secrets = None
    if args.secrets:
        try:
            with open(args.secrets, "rb") as f:
                secrets = tomllib.load(f)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            print(f"Kan {args.secrets} niet lezen: {exc}", file=sys.stderr)
            return 1
    lines, errors = report(identity.config(secrets))
    print("\n".join(lines))
    print("Niet in orde: Stuurbord laat zo niemand binnen." if errors else "In orde.")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
