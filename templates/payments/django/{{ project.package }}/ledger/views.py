"""``/balance`` and ``/ledger``: a merchant's money (every merchant's for an admin)."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..core.authentication import signed_in
from ..core.pagination import paginate
from ..core.serializers import page_serializer
from ..core.validation import validated_query
from . import services
from .serializers import BalanceSerializer, LedgerEntrySerializer, LedgerQuerySerializer


class BalanceView(APIView):
    """Captured, refunded and net per currency."""

    @extend_schema(
        summary="Your balance per currency: captured, refunded and net",
        responses={200: BalanceSerializer},
    )
    def get(self, request: Request) -> Response:
        """The balance, summed from the ledger."""
        return Response(services.balance(signed_in(request)))


class LedgerView(APIView):
    """The ledger entries, newest first."""

    @extend_schema(
        summary="List your ledger entries, newest first, filtered by currency or payment",
        parameters=[LedgerQuerySerializer],
        responses={200: page_serializer(LedgerEntrySerializer, "LedgerPage")},
    )
    def get(self, request: Request) -> Response:
        """One page of ledger entries."""
        query = validated_query(request, LedgerQuerySerializer)
        entries = services.list_entries(signed_in(request), query)
        return Response(paginate(entries, query, LedgerEntrySerializer))
