"""Online payments (a switchable module): a resident pays a unit's charges, or all their units' at once,
through the cooperative's payment gateway (PayU or Paynow, driven by python-getpaid's clients with the
cooperative's own credentials). A confirmed payment shows on the ledger at once as a provisional entry;
the payments import that later brings the bank's copy replaces it in the same transaction, so the money
is never counted twice."""
