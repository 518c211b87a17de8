"""The JSON Web Key Set (RFC 7517) that lets other services verify tokens."""

from pydantic import BaseModel


class Jwk(BaseModel):
    """One RSA public key."""

    kty: str
    use: str
    alg: str
    kid: str
    n: str
    e: str


class Jwks(BaseModel):
    """Every key a valid token may be signed with: the current one first."""

    keys: list[Jwk]
