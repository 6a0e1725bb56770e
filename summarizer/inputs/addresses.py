"""Which machines a fetch may reach: links found in fetched content never lead to internal addresses.

A feed is written by someone else, and its entry links (or the redirects a
page answers with) could point the tool at the machine it runs on or at its
private network: ``localhost``, ``10.0.0.1``, ``2130706433``, ``[::1]``. The
check is made on the addresses a host name *resolves to*, in the network
layer that then connects to exactly the address that was checked, so a DNS
answer cannot change between the check and the connection. The same layer
bounds name resolution by the fetch's deadline, for every fetch.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedAddress(httpcore.ConnectError):
    """A host that resolves only to internal addresses, refused by the address policy."""


def is_internal(address: IPAddress) -> bool:
    """True for an address that is not on the public internet: private, loopback, link-local, shared, reserved."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


_RESOLVER = ThreadPoolExecutor(max_workers=8, thread_name_prefix="summarizer-dns")


def _resolved(host: str, port: int, timeout: float | None) -> list[IPAddress]:
    """The addresses ``host`` resolves to, in the resolver's order, each once, within ``timeout`` seconds.

    The system resolver has no timeout of its own to give, so it runs in a worker and is waited for; a
    resolution that takes too long is left to finish there, and the fetch goes on as timed out.
    """
    lookup = _RESOLVER.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        answers = lookup.result(timeout)
    except FutureTimeout:
        raise httpcore.ConnectTimeout(f"resolving {_short(host)} took longer than {timeout:g} s") from None
    except (OSError, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {_short(host)}: {exc}") from exc
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in answers:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def _short(host: str) -> str:
    return host if len(host) <= 60 else host[:59] + "…"


class CheckedBackend(httpcore.SyncBackend):
    """httpcore's network layer, resolving names within the connect timeout and connecting to the address checked.

    ``public_only``: only public addresses of the host are connected to (the address policy).
    """

    def __init__(self, public_only: bool) -> None:
        self.public_only = public_only

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """A connection to the first (public) address ``host`` resolves to; ``RefusedAddress`` when it has none."""
        addresses = _resolved(host, port, timeout)
        allowed = [address for address in addresses if not is_internal(address)] if self.public_only else addresses
        if not allowed:
            shown = ", ".join(str(address) for address in addresses[:3])
            raise RefusedAddress(
                f"{_short(host)} is an internal address ({shown}): links found in feeds and pages may not lead to "
                "private, loopback or link-local addresses (--allow-private-addresses allows them)"
            )
        last_error: Exception | None = None
        for address in allowed:
            try:
                return super().connect_tcp(str(address), port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:  # the next address of the host, as the system's resolver order says
                last_error = exc
        assert last_error is not None
        raise last_error


def checked_transport(public_only: bool) -> httpx.HTTPTransport:
    """An httpx transport whose connections go through ``CheckedBackend`` (TLS still checks the host's name)."""
    transport = httpx.HTTPTransport()
    pool = transport._pool  # noqa: SLF001 - httpx has no public way to hand httpcore a network backend
    if not isinstance(pool, httpcore.ConnectionPool) or not hasattr(pool, "_network_backend"):
        raise RuntimeError("this httpx version builds its connections differently: the address policy cannot be applied")
    pool._network_backend = CheckedBackend(public_only)  # noqa: SLF001
    return transport


def refused_address(exc: BaseException) -> str | None:
    """The address policy's reason when ``exc`` (an httpx error) comes from a refused address, else None."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, RefusedAddress):
            return str(cause)
        cause = cause.__cause__ or cause.__context__
    return None
