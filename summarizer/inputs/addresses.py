"""Which machines a fetch may reach: links found in fetched content never lead to internal addresses.

A feed is written by someone else, and its entry links (or the redirects a
page answers with) could point the tool at the machine it runs on or at its
private network: ``localhost``, ``10.0.0.1``, ``2130706433``, ``[::1]``. The
check is made on the addresses a host name *resolves to*, in the network
layer that then connects to exactly the address that was checked, so a DNS
answer cannot change between the check and the connection.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

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


def _resolved(host: str, port: int) -> list[IPAddress]:
    """The addresses ``host`` resolves to, in the resolver's order, each once."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in answers:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class PublicOnlyBackend(httpcore.SyncBackend):
    """httpcore's network layer, connecting only to public addresses of the host it is asked for."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """A connection to the first public address ``host`` resolves to; ``RefusedAddress`` when it has none."""
        addresses = _resolved(host, port)
        public = [address for address in addresses if not is_internal(address)]
        if not public:
            shown = ", ".join(str(address) for address in addresses[:3])
            raise RefusedAddress(
                f"{host} is an internal address ({shown}): links found in feeds and pages may not lead to "
                "private, loopback or link-local addresses (--allow-private-addresses allows them)"
            )
        last_error: Exception | None = None
        for address in public:
            try:
                return super().connect_tcp(str(address), port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:  # the next address of the host, as the system's resolver order says
                last_error = exc
        assert last_error is not None
        raise last_error


def public_only_transport() -> httpx.HTTPTransport:
    """An httpx transport whose connections reach public addresses only (TLS still checks the host's name)."""
    transport = httpx.HTTPTransport()
    pool = transport._pool  # noqa: SLF001 - httpx has no public way to hand httpcore a network backend
    if not isinstance(pool, httpcore.ConnectionPool) or not hasattr(pool, "_network_backend"):
        raise RuntimeError("this httpx version builds its connections differently: the address policy cannot be applied")
    pool._network_backend = PublicOnlyBackend()  # noqa: SLF001
    return transport


def refused_address(exc: BaseException) -> str | None:
    """The address policy's reason when ``exc`` (an httpx error) comes from a refused address, else None."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, RefusedAddress):
            return str(cause)
        cause = cause.__cause__ or cause.__context__
    return None
