"""The JSON Web Key Set (RFC 7517) that lets other services verify tokens."""

from rest_framework import serializers

from ..core.serializers import Serializer


class JwkSerializer(Serializer):
    """One RSA public key."""

    kty = serializers.CharField()
    use = serializers.CharField()
    alg = serializers.CharField()
    kid = serializers.CharField()
    n = serializers.CharField()
    e = serializers.CharField()


class JwksSerializer(Serializer):
    """Every key a valid token may be signed with: the current one first."""

    keys = JwkSerializer(many=True)
