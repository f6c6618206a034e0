"""A stand-in for socket.getaddrinfo: records every host name asked for, maps some to fixed
addresses (optionally to a fixed port too), and in strict mode answers "unknown host" for the rest
instead of asking the real DNS.

    resolver = ResolverSpy({"dinkes.malangkota.go.id": [("127.0.0.1", server.port)]}, strict=True)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)

With a port in the mapping, ``http://dinkes.malangkota.go.id/`` (port 80 in the URL, the Host
header and the fetcher's rules) reaches the local server on its own free port: what /etc/hosts
plus a port forward would do, without either.
"""

from __future__ import annotations

import socket

Address = str | tuple[str, int]


class ResolverSpy:
    """Stands in for socket.getaddrinfo: records host names, maps some to fixed addresses."""

    def __init__(self, fixed: dict[str, list[Address]] | None = None, *, strict: bool = False):
        self.fixed = fixed or {}
        self.strict = strict
        self.hosts: list[str] = []
        self._real = socket.getaddrinfo

    def __call__(self, host: str, port: object, *args: object, **kwargs: object) -> list:
        self.hosts.append(host)
        if host in self.fixed:
            answers = []
            for entry in self.fixed[host]:
                address, real_port = entry if isinstance(entry, tuple) else (entry, port)
                answers.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, real_port)))
            return answers
        if self.strict:
            raise socket.gaierror(socket.EAI_NONAME, f"{host}: unknown to the test resolver")
        return self._real(host, port, *args, **kwargs)
