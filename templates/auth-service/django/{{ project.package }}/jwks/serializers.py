"""The JSON Web Key Set (RFC 7517) that lets other services verify tokens."""

from typing import Any

from rest_framework import serializers


class JwkSerializer(serializers.Serializer[Any]):
    """One RSA public key."""

    kty = serializers.CharField()
    use = serializers.CharField()
    alg = serializers.CharField()
    kid = serializers.CharField()
    n = serializers.CharField()
    e = serializers.CharField()


class JwksSerializer(serializers.Serializer[Any]):
    """Every key a valid token may be signed with: the current one first."""

    keys = JwkSerializer(many=True)
